package io.statex.ops;

import io.statex.ops.GlaCase.Gate;
import java.util.ArrayList;
import java.util.List;

/** The awkward shapes every GLA implementation is checked on (CPU and CUDA); the GPU adds larger ones. */
final class GlaCatalogue {
  private GlaCatalogue() {}

  static List<GlaCase> common() {
    return List.of(
        GlaCase.of(1, 1, 1, 16, 16),
        GlaCase.of(1, 1, 2, 32, 16).withStates().bf16(),
        GlaCase.of(2, 63, 2, 32, 48).withStates(),
        GlaCase.of(1, 64, 1, 16, 32).withHT().gate(Gate.STRONG),
        GlaCase.of(3, 65, 2, 48, 80).withStates().bf16(),
        GlaCase.of(3, 65, 2, 48, 80).withStates().gate(Gate.STRONG),
        GlaCase.of(2, 130, 3, 32, 16).withH0().bf16GateF32().gate(Gate.STRONG),
        GlaCase.of(1, 129, 1, 64, 16).withStates().gate(Gate.MIXED),
        GlaCase.of(1, 1000, 1, 16, 16).withStates(),
        GlaCase.of(1, 1000, 1, 16, 32).withHT().bf16().gate(Gate.STRONG),
        GlaCase.of(1, 20, 1, 1024, 2048).withStates(),
        GlaCase.of(1, 9, 1, 1024, 2048).withStates().bf16GateF32(),
        GlaCase.packed(2, 16, 32, 1, 63, 1, 135).withStates(),
        GlaCase.packed(1, 32, 16, 0, 70, 1, 64, 2).withStates().bf16GateF32().gate(Gate.MIXED),
        GlaCase.packed(3, 16, 48, 65, 1, 17).withH0().bf16().gate(Gate.STRONG));
  }

  /** F64 (CPU only, small sizes): T around the chunk, every gate, both states, packed sequences, a long T. */
  static List<GlaCase> f64() {
    return List.of(
        GlaCase.of(1, 1, 1, 16, 16).f64(),
        GlaCase.of(2, 63, 2, 32, 48).withStates().f64(),
        GlaCase.of(3, 65, 2, 48, 80).withStates().gate(Gate.STRONG).f64(),
        GlaCase.of(1, 129, 1, 64, 16).withStates().gate(Gate.MIXED).f64(),
        GlaCase.of(1, 1000, 1, 16, 16).withStates().f64(),
        GlaCase.packed(2, 16, 32, 1, 63, 1, 135).withStates().f64(),
        GlaCase.packed(1, 32, 16, 0, 70, 1, 64, 2).withH0().gate(Gate.MIXED).f64());
  }

  /** Prefill-then-decode cases (dense, with both states so the prefill hands its state over). */
  static List<GlaCase> decode() {
    return List.of(
        GlaCase.of(2, 70, 2, 32, 16).withStates(),
        GlaCase.of(3, 67, 1, 16, 48).withStates().bf16().gate(Gate.STRONG),
        GlaCase.of(1, 5, 1, 64, 32).withHT().gate(Gate.MIXED));
  }

  static List<GlaCase> gpu() {
    List<GlaCase> all = new ArrayList<>(common());
    all.addAll(List.of(
        GlaCase.of(2, 1000, 2, 64, 64).withStates().bf16(),
        GlaCase.of(1, 4096, 1, 32, 16).withStates().gate(Gate.STRONG),
        GlaCase.of(1, 2048, 4, 256, 512).withStates().bf16GateF32(),
        GlaCase.of(1, 1000, 4, 256, 512).withStates().gate(Gate.MIXED),
        GlaCase.of(1, 256, 1, 1024, 2048).withStates().bf16(),
        GlaCase.of(1, 256, 1, 1024, 2048).withStates(),
        GlaCase.packed(4, 64, 128, 300, 1, 0, 699, 64, 1000).withStates().bf16()));
    return all;
  }
}

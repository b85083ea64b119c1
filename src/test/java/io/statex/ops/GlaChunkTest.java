package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.GlaCpuNative;
import io.statex.jni.NativeCall;
import io.statex.reference.GlaReference;
import io.statex.testing.NativeMemory;
import io.statex.testing.Tolerance;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CPU GLA entries against the float64 token-by-token reference (statex/gla.h). */
class GlaChunkTest {

  static List<GlaCase> cases() {
    return GlaCatalogue.common();
  }

  static List<GlaCase> decodeCases() {
    return GlaCatalogue.decode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardMatchesReference(GlaCase c) {
    GlaData d = GlaData.of(c);
    GlaChecks.forward("cpu gla_chunk_fwd", d, GlaNativeRunner.forward(d), d.reference());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backwardMatchesReference(GlaCase c) {
    GlaData d = GlaData.of(c);
    GlaChecks.backward("cpu gla_chunk_bwd", d, GlaNativeRunner.backward(d), d.referenceGrads());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeEqualsOneChunkedPass(GlaCase c) {
    GlaData d = GlaData.of(c);
    GlaReference.Outputs split = GlaChecks.prefillThenDecode(d, Math.max(1, c.T() - 5), GlaNativeRunner::forward,
        GlaNativeRunner::step);
    GlaChecks.forward("cpu prefill+decode vs reference", d, split, d.reference());
    GlaChecks.forward("cpu prefill+decode vs chunked", d, split, GlaNativeRunner.forward(d));
  }

  // ---- bad input: every rejection is IllegalArgumentException naming the argument ----

  /** Shapes, dtypes and cu_seqlens: the same rejection from the forward and the backward. */
  static Stream<Arguments> badShapes() {
    return Stream.of(
        bad("K = 40", "K = 40", a -> a.K = 40),
        bad("V = 0", "V = 0", a -> a.V = 0),
        bad("V = 4112", "V = 4112", a -> a.V = 4112),
        bad("T = 0", "T = 0", a -> a.T = 0),
        bad("H = 0", "H = 0", a -> a.H = 0),
        bad("dtype I32", "dtype code 2", a -> a.dtype = 2),
        bad("g bf16 with f32 inputs", "g_dtype code 1", a -> a.gDtype = 1),
        bad("scale NaN", "scale", a -> a.scale = Double.NaN),
        bad("q null", "q: null", a -> a.q = 0),
        bad("g null", "g: null", a -> a.g = 0),
        bad("N != B", "N = 3", a -> a.N = 3),
        bad("B = 2 with cu_seqlens", "B = 2", a -> a.useCu(new long[] {0, 3, 8}, 2)),
        bad("cu_seqlens end != T", "cu_seqlens[N = 2] = 7", a -> a.useCu(new long[] {0, 3, 7}, 1)),
        bad("cu_seqlens decreasing", "non-decreasing", a -> a.useCu(new long[] {0, 5, 4, 8}, 1)),
        bad("cu_seqlens[0] != 0", "cu_seqlens[0] = 1", a -> a.useCu(new long[] {1, 8}, 1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"badShapes", "badForwardPointers"})
  void badForwardInputThrows(String name, String message, BadArgs.Change change) {
    expectRejected(change, message, BadArgs::forward);
  }

  static Stream<Arguments> badForwardPointers() {
    return Stream.of(bad("o null", "o: null", a -> a.o = 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"badShapes", "badBackwardPointers"})
  void badBackwardInputThrows(String name, String message, BadArgs.Change change) {
    expectRejected(change, message, BadArgs::backward);
  }

  static Stream<Arguments> badBackwardPointers() {
    return Stream.of(
        bad("d_o null", "d_o: null", a -> a.dO = 0),
        bad("dq null", "dq: null", a -> a.dq = 0),
        bad("dg null", "dg: null", a -> a.dg = 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStepInputs")
  void badStepInputThrows(String name, String message, BadArgs.Change change) {
    expectRejected(change, message, BadArgs::step);
  }

  static Stream<Arguments> badStepInputs() {
    return Stream.of(
        bad("K = 40", "K = 40", a -> a.K = 40),
        bad("N = 0", "N = 0", a -> a.N = 0),
        bad("state null", "state: null", a -> a.h0 = 0),
        bad("v null", "v: null", a -> a.v = 0),
        bad("g bf16 with f32 inputs", "g_dtype code 1", a -> a.gDtype = 1));
  }

  /** Spoils one argument of a valid call, makes the call, expects the rejection naming it. */
  static void expectRejected(BadArgs.Change change, String message, Consumer<BadArgs> call) {
    try (NativeMemory m = NativeMemory.host()) {
      BadArgs a = new BadArgs(m);
      change.apply(a);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call.accept(a));
      assertTrue(e.getMessage().contains(message), "message '" + e.getMessage() + "' should contain '" + message + "'");
    }
  }

  static Arguments bad(String name, String message, BadArgs.Change change) {
    return Arguments.of(name, message, Named.of(name, change));
  }

  /** A valid small call (B 2, T 8, H 1, K V 16) whose arguments a test then spoils, one at a time. */
  static final class BadArgs {
    interface Change {
      void apply(BadArgs a);
    }

    long B = 2, T = 8, H = 1, K = 16, V = 16, N = 2;
    int dtype = Tolerance.F32, gDtype = Tolerance.F32;
    double scale = 0.25;
    long q, k, v, g, h0, o, ht, cu, dO, dq, dk, dv, dg, dh0;

    BadArgs(NativeMemory m) {
      long bytes = 4 * 2 * 8 * 16;
      q = m.alloc(bytes);
      k = m.alloc(bytes);
      v = m.alloc(bytes);
      g = m.alloc(bytes);
      o = m.alloc(bytes);
      dO = m.alloc(bytes);
      dq = m.alloc(bytes);
      dk = m.alloc(bytes);
      dv = m.alloc(bytes);
      dg = m.alloc(bytes);
      h0 = m.alloc(4 * 2 * 16 * 16);
      ht = m.alloc(4 * 2 * 16 * 16);
      dh0 = m.alloc(4 * 2 * 16 * 16);
      this.m = m;
    }

    private final NativeMemory m;

    void useCu(long[] offsets, long batch) {
      cu = m.uploadLongs(offsets);
      N = offsets.length - 1;
      B = batch;
      T = 8;
    }

    void forward() {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_fwd(o, ht, q, k, v, g, h0, cu, dtype, gDtype, scale, B, T,
          H, K, V, N), "gla_chunk_fwd");
    }

    void backward() {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_bwd(dq, dk, dv, dg, dh0, q, k, v, g, h0, dO, 0, cu, dtype,
          gDtype, scale, B, T, H, K, V, N), "gla_chunk_bwd");
    }

    void step() {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_step(o, h0, q, k, v, g, dtype, gDtype, scale, N, H, K, V),
          "gla_step");
    }
  }
}

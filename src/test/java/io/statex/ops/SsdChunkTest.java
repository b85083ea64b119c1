package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.NativeCall;
import io.statex.jni.SsdCpuNative;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CPU SSD chunked scan against the float64 token-by-token reference: forward, backward, decode, bad input. */
class SsdChunkTest {
  static Stream<SsdChunkCase> cases() {
    return Stream.concat(SsdChunkCase.catalogue().stream(), SsdChunkCase.f64().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(SsdChunkCase c) {
    SsdChunkCheck.forwardBackward(c, Device.CPU);
  }

  static Stream<SsdChunkCase> decodeCases() {
    return Stream.of(SsdChunkCase.of(2, 70, 2, 4, 8, 1, 64, DType.F32),
        SsdChunkCase.of(1, 131, 4, 8, 16, 2, 128, DType.BF16).options(false, true, true, true, true, true),
        SsdChunkCase.of(3, 9, 1, 4, 4, 1, 64, DType.F32).options(true, false, false, false, false, true),
        SsdChunkCase.of(2, 70, 2, 4, 8, 1, 64, DType.F64).dtDtype(DType.F64));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOneChunkedPass(SsdChunkCase c) {
    SsdChunkCheck.prefillThenDecode(c, 5, Device.CPU);
  }

  @Test
  void everyChunkSizeMatchesTheReference() {
    for (int q : new int[] {64, 128, 256}) {
      SsdChunkCheck.forwardBackward(SsdChunkCase.of(1, 300, 2, 4, 8, 1, q, DType.F32), Device.CPU);
    }
  }

  static void rejects(String fragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(fragment), () -> "message should name '" + fragment + "': " + e.getMessage());
  }

  /** Valid inputs of a small problem (B2 T5 H2 P3 N4 G1) on a device, with the given x dtype. */
  static SsdChunk.Inputs small(Device dev, DType dtype) {
    Tensor x = Tensor.zeros(dtype, dev, 2, 5, 2, 3);
    Tensor b = Tensor.zeros(dtype, dev, 2, 5, 1, 4);
    return new SsdChunk.Inputs(x, Tensor.zeros(DType.F32, dev, 2, 5, 2), null, Tensor.full(DType.F32, dev, -1, 2), b,
        Tensor.zeros(dtype, dev, 2, 5, 1, 4), null, null, null);
  }

  /** The Java entry: shapes, dtypes, options, packed batches, gradients' cotangents. */
  static void opRejectsBadInput(Device dev) {
    try (TensorScope s = TensorScope.open()) {
      SsdChunk.Inputs ok = small(dev, DType.F32);
      SsdChunk.Options opt = SsdChunk.Options.mamba2();
      rejects("chunkSize", () -> SsdChunk.forward(ok, new SsdChunk.Options(100, true, 0, 1), false));
      rejects("dt limits", () -> SsdChunk.forward(ok, new SsdChunk.Options(64, true, 0.5f, 0.1f), false));
      rejects("dt must be F32 or x's dtype", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(),
          Tensor.zeros(DType.BF16, dev, 2, 5, 2), null, ok.A(), ok.B(), ok.C(), null, null, null), opt, false));
      rejects("C must have shape", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(), ok.dt(), null, ok.A(), ok.B(),
          Tensor.zeros(DType.F32, dev, 2, 5, 1, 3), null, null, null), opt, false));
      rejects("must divide H", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(), ok.dt(), null, ok.A(),
          Tensor.zeros(DType.F32, dev, 2, 5, 3, 4), Tensor.zeros(DType.F32, dev, 2, 5, 3, 4), null, null, null), opt,
          false));
      rejects("A must be one of [F32]", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(), ok.dt(), null,
          Tensor.zeros(DType.BF16, dev, 2), ok.B(), ok.C(), null, null, null), opt, false));
      rejects("D must have shape", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(), ok.dt(), null, ok.A(), ok.B(),
          ok.C(), Tensor.zeros(DType.F32, dev, 3), null, null), opt, false));
      rejects("initialState must have shape", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(), ok.dt(), null, ok.A(),
          ok.B(), ok.C(), null, Tensor.zeros(DType.F32, dev, 2, 2, 3, 5), null), opt, false));
      rejects("cuSeqlens (packed sequences) needs batch 1", () -> SsdChunk.forward(new SsdChunk.Inputs(ok.x(), ok.dt(),
          null, ok.A(), ok.B(), ok.C(), null, null, Tensor.ofLongs(new long[] {0, 5}, 2).to(dev)), opt, false));
      SsdChunk.Inputs one = new SsdChunk.Inputs(ok.x().slice(0, 0, 1), ok.dt().slice(0, 0, 1), null, ok.A(),
          ok.B().slice(0, 0, 1), ok.C().slice(0, 0, 1), null, null, Tensor.ofLongs(new long[] {0, 3, 2, 5}, 4).to(dev));
      rejects("cuSeqlens must run from 0 to T = 5", () -> SsdChunk.forward(one, opt, false));
      rejects("x must have rank 4", () -> SsdChunk.forward(new SsdChunk.Inputs(Tensor.zeros(DType.F32, dev, 5, 2, 3),
          ok.dt(), null, ok.A(), ok.B(), ok.C(), null, null, null), opt, false));
      rejects("dy must have shape", () -> SsdChunk.backward(Tensor.zeros(DType.F32, dev, 2, 5, 2, 4), null, ok, opt,
          false));
      rejects("dFinalState must have shape", () -> SsdChunk.backward(Tensor.zeros(DType.F32, dev, 2, 5, 2, 3),
          Tensor.zeros(DType.F32, dev, 1, 2, 3, 4), ok, opt, false));
      rejects("state must be one of [F32]", () -> SsdChunk.step(Tensor.zeros(DType.BF16, dev, 2, 2, 3, 4),
          Tensor.zeros(DType.F32, dev, 2, 2, 3), Tensor.zeros(DType.F32, dev, 2, 2), null, ok.A(),
          Tensor.zeros(DType.F32, dev, 2, 1, 4), Tensor.zeros(DType.F32, dev, 2, 1, 4), null, opt));
    }
  }

  @Test
  void opRejectsBadInputNamingTheArgument() {
    opRejectsBadInput(Device.CPU);
  }

  /** The C ABI itself rejects what the Java entry would catch first: one shared native check, no crash. */
  @Test
  void nativeEntriesRejectBadInputNamingTheArgument() {
    try (TensorScope s = TensorScope.open()) {
      long p = Tensor.zeros(DType.F32, Device.CPU, 1 << 16).address();
      long[] need = new long[1];
      NativeCall.checkCpu(SsdCpuNative.statex_cpu_ssd_chunk_fwd_workspace_size(need, 1, 4, 2, 4, 4, 1, 0, 0, 64), "ws");
      long ws = need[0];
      long cuBad = Tensor.ofLongs(new long[] {0, 3, 5}, 3).address();
      long cuOk = Tensor.ofLongs(new long[] {0, 1, 4}, 3).address();
      float inf = Float.POSITIVE_INFINITY;
      abi("chunk_size", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2, 4, 4, 1, 0, 0, 0,
          100, 1, 0, inf, p, ws));
      abi("groups", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 3, 4, 4, 2, 0, 0, 0, 64,
          1, 0, inf, p, ws));
      abi("seqlen", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 0, 2, 4, 4, 1, 0, 0, 0, 64,
          1, 0, inf, p, ws));
      abi("ssd x", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, 0, p, 0, p, p, p, 0, 0, 0, 1, 4, 2, 4, 4, 1, 0, 0, 0, 64,
          1, 0, inf, p, ws));
      abi("dt_dtype", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2, 4, 4, 1, 0, 0, 1,
          64, 1, 0, inf, p, ws));
      abi("workspace", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2, 4, 4, 1, 0, 0, 0,
          64, 1, 0, inf, p, ws - 1));
      abi("cu_seqlens", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, cuOk, 2, 4, 2, 4, 4, 1, 2, 0,
          0, 64, 1, 0, inf, p, 1 << 16));
      abi("cu_seqlens", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, cuBad, 1, 4, 2, 4, 4, 1, 2, 0,
          0, 64, 1, 0, inf, p, 1 << 16));
      abi("nseq", SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2, 4, 4, 1, 2, 0, 0, 64, 1,
          0, inf, p, ws));
      abi("dD", SsdCpuNative.statex_cpu_ssd_chunk_bwd(p, p, p, p, p, p, 0, 0, p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2, 4,
          4, 1, 0, 0, 0, 64, 1, 0, inf, p, 1 << 18));
      abi("ddt_bias", SsdCpuNative.statex_cpu_ssd_chunk_bwd(p, p, p, p, p, 0, 0, 0, p, 0, p, p, p, p, p, p, 0, 0, 0, 1, 4,
          2, 4, 4, 1, 0, 0, 0, 64, 1, 0, inf, p, 1 << 18));
      abi("state", SsdCpuNative.statex_cpu_ssd_step(p, 0, p, p, 0, p, p, p, 0, 1, 2, 4, 4, 1, 0, 0, 1, 0, inf));
    }
  }

  private static void abi(String fragment, int status) {
    rejects(fragment, () -> NativeCall.checkCpu(status, "ssd"));
  }
}

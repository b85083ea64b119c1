package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.CudaProbe;
import io.statex.jni.NativeCall;
import io.statex.jni.SsdCudaNative;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CUDA SSD chunked scan against the float64 token-by-token reference: the CPU catalogue plus larger cases (fp32 on
 * the FMA path, bf16 on the tensor-core path; every gradient; poisoned outputs and workspaces; packed batches),
 * prefill-then-decode, and bad input at the Java entry and at the C ABI.
 */
@Tag("gpu")
class SsdChunkGpuTest {
  private static final Device GPU = Device.cuda(0);

  @BeforeAll
  static void needsGpu() {
    Assumptions.assumeTrue(CudaProbe.probe().usable(), () -> "no usable CUDA: " + CudaProbe.probe().reason());
  }

  static Stream<SsdChunkCase> cases() {
    DType f = DType.F32, bf = DType.BF16;
    List<SsdChunkCase> c = new ArrayList<>(SsdChunkCase.catalogue());
    c.add(SsdChunkCase.of(1, 2048, 8, 64, 128, 1, 256, f));
    c.add(SsdChunkCase.of(1, 2048, 8, 64, 128, 1, 256, bf));
    c.add(SsdChunkCase.of(1, 512, 2, 64, 512, 1, 256, f));
    c.add(SsdChunkCase.of(1, 512, 2, 64, 512, 2, 128, bf).dtDtype(bf));
    c.add(SsdChunkCase.of(2, 300, 2, 256, 64, 1, 64, bf));
    c.add(SsdChunkCase.of(1, 777, 4, 96, 80, 2, 128, f).options(true, true, true, true, true, true));
    c.add(SsdChunkCase.varlen(new long[] {1, 700, 0, 255, 256, 257}, 4, 64, 128, 1, 256, bf));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(SsdChunkCase c) {
    SsdChunkCheck.forwardBackward(c, GPU);
  }

  static Stream<SsdChunkCase> decodeCases() {
    return Stream.of(SsdChunkCase.of(2, 70, 2, 4, 8, 1, 64, DType.F32),
        SsdChunkCase.of(1, 300, 4, 64, 128, 2, 256, DType.BF16).options(false, true, true, true, true, true),
        SsdChunkCase.of(3, 9, 1, 40, 300, 1, 64, DType.F32).options(true, false, false, false, false, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOneChunkedPass(SsdChunkCase c) {
    SsdChunkCheck.prefillThenDecode(c, 5, GPU);
  }

  /** No atomics anywhere: two runs give the same bits (forward and every gradient). */
  @Test
  void resultsAreBitwiseReproducible() {
    SsdChunkCase c = SsdChunkCase.of(2, 700, 4, 64, 128, 2, 256, DType.BF16);
    SsdChunkCheck.Data data = SsdChunkCheck.data(c, 5);
    try (TensorScope s = TensorScope.open()) {
      SsdChunk.Inputs in = SsdChunkCheck.inputs(data.problem(), c, c.B(), c.T(), GPU, false);
      Tensor dy = io.statex.testing.Arrays64.tensor(data.dy(), c.dtype(), GPU, c.B(), c.T(), c.H(), c.P());
      float[][] first = null;
      for (int run = 0; run < 2; run++) {
        SsdChunk.Result f = SsdChunk.forward(in, SsdChunkCheck.options(c), true);
        SsdChunk.Grads g = SsdChunk.backward(dy, f.finalState(), in, SsdChunkCheck.options(c), true);
        float[][] all = {f.y().toFloatArray(), f.finalState().toFloatArray(), g.dx().toFloatArray(),
            g.ddt().toFloatArray(), g.dA().toFloatArray(), g.dB().toFloatArray(), g.dC().toFloatArray(),
            g.dD().toFloatArray(), g.ddtBias().toFloatArray(), g.dInitialState().toFloatArray()};
        if (first == null) {
          first = all;
        } else {
          for (int k = 0; k < all.length; k++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(first[k], all[k], c + ": output " + k
                + " (y, final, dx, ddt, dA, dB, dC, dD, ddt_bias, dinit) differs between two runs");
          }
        }
      }
    }
  }

  @Test
  void opRejectsBadInputNamingTheArgument() {
    SsdChunkTest.opRejectsBadInput(GPU);
    try (TensorScope s = TensorScope.open()) {
      SsdChunk.Inputs cpu = SsdChunkTest.small(Device.CPU, DType.F32);
      SsdChunk.Inputs gpu = SsdChunkTest.small(GPU, DType.F32);
      SsdChunkTest.rejects("dt is on cpu but x is on cuda:0", () -> SsdChunk.forward(new SsdChunk.Inputs(gpu.x(), cpu.dt(), null,
          gpu.A(), gpu.B(), gpu.C(), null, null, null), SsdChunk.Options.mamba2(), false));
    }
  }

  @Test
  void nativeEntriesRejectBadInputNamingTheArgument() {
    try (TensorScope s = TensorScope.open()) {
      long p = Tensor.zeros(DType.F32, GPU, 1 << 16).address();
      float inf = Float.POSITIVE_INFINITY;
      int st = SsdCudaNative.statex_cuda_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 3, 4, 4, 2, 0, 0, 0, 64, 1,
          0, inf, p, 1 << 18, 0);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeCall.checkCuda(st, "ssd"));
      assertTrue(e.getMessage().contains("groups"), e::getMessage);
      int st2 = SsdCudaNative.statex_cuda_ssd_chunk_bwd(p, p, p, p, p, 0, 0, 0, p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2,
          4, 4, 1, 0, 0, 0, 64, 1, 0, inf, p, 1, 0);
      e = assertThrows(IllegalArgumentException.class, () -> NativeCall.checkCuda(st2, "ssd"));
      assertTrue(e.getMessage().contains("workspace"), e::getMessage);
    }
  }
}

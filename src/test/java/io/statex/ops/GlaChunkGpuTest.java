package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.backend.Backends;
import io.statex.backend.UnaryOp;
import io.statex.jni.CudaProbe;
import io.statex.jni.GlaCudaNative;
import io.statex.jni.NativeCall;
import io.statex.reference.GlaReference;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Compare;
import io.statex.testing.Seeds;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GLA on CUDA (GlaChunk over statex_cuda_gla_*) against the float64 token-by-token reference: the
 * CPU catalogue plus larger shapes, fp32 and bf16, o, hT and every gradient, with every output
 * poisoned (NaN) before the call; decode consistency; a B1 T65536 H1 K1024 V2048 run whose state
 * snapshots pass 2^31 elements (checked on its first tokens); bad input.
 */
@Tag("gpu")
class GlaChunkGpuTest extends GlaChunkSuite {
  static final Device CUDA = Device.cuda(0);

  @BeforeEach
  void requireCuda() {
    Assumptions.assumeTrue(CudaProbe.probe().usable(), () -> "CUDA is not usable here: " + CudaProbe.probe().reason());
  }

  @Override
  Device device() {
    return CUDA;
  }

  @Override
  List<GlaCase> cases() {
    return GlaCatalogue.gpu();
  }

  /** Two runs of the same inputs give the same bits (no atomics, no order-dependent sums). */
  @Test
  void runsAreBitwiseReproducible() {
    GlaData d = GlaData.of(GlaCase.of(2, 300, 2, 64, 96).withStates().bf16());
    GlaReference.Grads a = GlaRunner.backward(d, CUDA), b = GlaRunner.backward(d, CUDA);
    for (double[][] pair : new double[][][] {{a.dq(), b.dq()}, {a.dk(), b.dk()}, {a.dv(), b.dv()}, {a.dg(), b.dg()},
        {a.dh0(), b.dh0()}}) {
      assertTrue(java.util.Arrays.equals(pair[0], pair[1]), d.describe() + ": two backward runs differ");
    }
  }

  /**
   * B 1, T 65536, H 1, K 1024, V 2048, bf16, forward and backward on one GPU (the snapshots pass 2^31
   * elements). Checked on its first 256 tokens, as {@link #checkCausalPrefix} explains.
   */
  @Test
  void expandedStateOnLongSequence() {
    checkCausalPrefix(65536, 1024, 2048, 256);
  }

  /** The same check on a small shape (several chunks past the prefix). */
  @Test
  void causalPrefixOfALongerRun() {
    checkCausalPrefix(1000, 64, 128, 256);
  }

  /**
   * bf16 q, k, v and an F32 gate over T tokens, generated on the device. The recurrence is causal, so
   * o on the first {@code head} tokens is that of those tokens alone; with dO zero past them and no
   * dhT, the gradients of the first tokens and dh0 are those of the truncated problem and every later
   * gradient is exactly zero. Both are checked against the float64 reference of the first tokens.
   */
  private static void checkCausalPrefix(int T, int K, int V, int head) {
    GlaCase small = GlaCase.of(1, head, 1, K, V).bf16GateF32();
    long seed = Seeds.fresh("gla causal prefix " + T + " " + K + " " + V);
    try (TensorScope scope = TensorScope.open()) {
      Tensor q = Tensor.normal(DType.BF16, CUDA, seed, 0, 1, 1, T, 1, K);
      Tensor k = Tensor.normal(DType.BF16, CUDA, seed + 1, 0, 1, 1, T, 1, K);
      Tensor v = Tensor.normal(DType.BF16, CUDA, seed + 2, 0, 1, 1, T, 1, V);
      Tensor u = Tensor.normal(DType.F32, CUDA, seed + 3, 0, 1, 1, T, 1, K);
      Tensor g = Elementwise.unary(UnaryOp.MUL_SCALAR, Elementwise.unary(UnaryOp.LOGSIGMOID, u, 0), 1.0 / 16);
      Tensor dO = Tensor.zeros(DType.BF16, CUDA, 1, T, 1, V);
      try (Tensor first = Tensor.normal(DType.BF16, CUDA, seed + 4, 0, 1, 1, head, 1, V);
          Tensor slot = dO.slice(1, 0, head)) {
        slot.copyFrom(first);
      }
      GlaChunk.Result fwd = GlaChunk.forward(q, k, v, g, null, null, small.scale(), true);
      GlaChunk.Grads grads = GlaChunk.backward(dO, null, q, k, v, g, null, null, small.scale());
      Backends.forDevice(CUDA).synchronize();

      GlaData d = new GlaData(small, seed, headOf(q, head), headOf(k, head), headOf(v, head), headOf(g, head), null,
          headOf(dO, head), null);
      String at = "cuda B1-T" + T + "-H1-K" + K + "-V" + V + "-bf16 (first " + head + " tokens; " + Seeds.describe() + ")";
      Compare.assertClose(at + ": o", d.reference().o(), headOf(fwd.o(), head), DType.BF16);
      assertFinite(at + ": hT", fwd.hT().toDoubleArray());
      GlaReference.Grads ref = d.referenceGrads();
      Compare.assertClose(at + ": dq", ref.dq(), headOf(grads.dq(), head), DType.BF16);
      Compare.assertClose(at + ": dk", ref.dk(), headOf(grads.dk(), head), DType.BF16);
      Compare.assertClose(at + ": dv", ref.dv(), headOf(grads.dv(), head), DType.BF16);
      Compare.assertClose(at + ": dg", ref.dg(), headOf(grads.dg(), head), DType.BF16);  // the inputs' dtype rules
      for (Tensor t : new Tensor[] {grads.dq(), grads.dk(), grads.dv(), grads.dg()}) {
        double[] tail = tailOf(t, head);
        for (int i = 0; i < tail.length; i++) {
          if (tail[i] != 0) {
            fail(at + ": a gradient past the last cotangent is " + tail[i] + " at " + i + " (expected exactly 0)");
          }
        }
      }
      Compare.assertClose(at + ": dh0", ref.dh0(), grads.dh0().toDoubleArray(), DType.BF16);
    }
  }

  private static double[] headOf(Tensor t, int head) {
    try (Tensor s = t.slice(1, 0, head)) {
      return s.toDoubleArray();
    }
  }

  private static double[] tailOf(Tensor t, int from) {
    try (Tensor s = t.slice(1, from, t.size(1))) {
      return s.toDoubleArray();
    }
  }

  private static void assertFinite(String what, double[] x) {
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        fail(what + ": element " + i + " is " + x[i]);
      }
    }
  }

  // ---- bad input ----

  @Test
  void tensorsOnDifferentDevicesAreRejected() {
    try (TensorScope scope = TensorScope.open()) {
      Tensor q = Tensor.zeros(DType.F32, CUDA, 1, 8, 1, 16);
      Tensor kCpu = Tensor.zeros(DType.F32, Device.CPU, 1, 8, 1, 16);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GlaChunk.forward(q, kCpu, q, q, null, null, 0.25, false));
      assertTrue(e.getMessage().contains("k is on cpu"), e.getMessage());
    }
  }

  static Stream<Arguments> badCalls() {
    return Stream.of(
        GlaChunkTest.badOp("K = 40", "K = 40", a -> a.resize(40, 16)),
        GlaChunkTest.badOp("T = 0", "T = 0", a -> a.q = a.k = a.v = a.g = a.t(DType.F32, 2, 0, 1, 16)),
        GlaChunkTest.badOp("cuSeqlens end != T", "cu_seqlens[N = 1] = 7", a -> a.packed(new long[] {0, 7})));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCalls")
  void badTensorsThrow(String name, String message, Consumer<GlaChunkTest.OpArgs> spoil) {
    GlaChunkTest.expectRejected(message, () -> {
      GlaChunkTest.OpArgs a = new GlaChunkTest.OpArgs();
      spoil.accept(a);
      GlaChunk.forward(a.q.to(CUDA), a.k.to(CUDA), a.v.to(CUDA), a.g.to(CUDA), a.h0 == null ? null : a.h0.to(CUDA),
          a.cu == null ? null : a.cu.to(CUDA), 0.25, true);
    });
  }

  /** The workspace is checked before anything is launched: null, too small, misaligned. */
  @Test
  void badWorkspaceIsRejected() {
    try (TensorScope scope = TensorScope.open()) {
      Tensor x = Tensor.zeros(DType.F32, CUDA, 2 * 64 * 16);
      Tensor ws = Tensor.zeros(DType.F32, CUDA, 1 << 20);
      long need = GlaChunk.forwardWorkspaceBytes(DType.F32, 2, 64, 1, 16, 16, 2, false);
      long stream = Backends.cuda(0).stream();
      long p = x.address();
      record Bad(long ws, long bytes, String message) {}
      for (Bad b : List.of(new Bad(0, need, "workspace: null pointer"), new Bad(ws.address(), need - 1,
          "workspace_bytes = " + (need - 1)), new Bad(ws.address() + 4, need, "not 256-byte aligned"))) {
        GlaChunkTest.expectRejected(b.message(), () -> NativeCall.checkCuda(GlaCudaNative.statex_cuda_gla_chunk_fwd(p,
            0, p, p, p, p, 0, 0, 0, 0, 0.25, 2, 64, 1, 16, 16, 2, b.ws(), b.bytes(), stream), "cuda"));
      }
      assertEquals(need, GlaChunk.forwardWorkspaceBytes(DType.F32, 2, 64, 1, 16, 16, 2, false));
    }
  }
}

package io.statex.kernels;

import static io.statex.kernels.KernelAsserts.assertClose;
import static io.statex.kernels.KernelAsserts.assertRejected;

import io.statex.kernels.BaseKernelCases.RowCase;
import io.statex.reference.BaseOpsReference;
import io.statex.reference.RmsNormReference;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** statex_{cpu,cuda}_rmsnorm_fwd and _bwd against the float64 oracle; subclasses pick the library. */
abstract class RmsNormKernelSuite {
  static final double EPS = 1e-5;

  abstract BaseKernels kernels();

  static Stream<Arguments> cases() {
    return BaseKernelCases.rowCases().stream().flatMap(c -> Stream.of(Arguments.of(c, true), Arguments.of(c, false)));
  }

  /** Inputs of one case: x, w (null without a weight) and dy, as the dtype stores them. */
  private record Inputs(Tensor x, Tensor w, Tensor dy) {
    double[] w64() {
      return w == null ? null : w.toDoubleArray();
    }

    long wAddress() {
      return w == null ? 0 : w.address();
    }
  }

  private Inputs inputs(RowCase c, boolean weighted, SplittableRandom rng) {
    BaseKernels k = kernels();
    long count = c.rows() * c.n();
    Tensor x = TestData.upload(TestData.normal(rng, count, 2), c.dtype(), k.device(), c.misaligned(), c.rows(), c.n());
    Tensor w = weighted ? TestData.upload(TestData.uniform(rng, c.n(), 0.5, 1.5), c.dtype(), k.device(), c.misaligned(), c.n()) : null;
    Tensor dy = TestData.upload(TestData.normal(rng, count, 1), c.dtype(), k.device(), c.misaligned(), c.rows(), c.n());
    return new Inputs(x, w, dy);
  }

  @ParameterizedTest(name = "{0} weight={1}")
  @MethodSource("cases")
  void forwardMatchesReference(RowCase c, boolean weighted) {
    BaseKernels k = kernels();
    String ctx = TestData.context("rmsnorm_fwd", c + "-weight=" + weighted);
    long[] shape = {c.rows(), c.n()};
    try (TensorScope scope = TensorScope.open()) {
      Inputs in = inputs(c, weighted, TestData.random(c + "-" + weighted));
      Tensor y = TestData.poisoned(c.dtype(), k.device(), c.misaligned(), shape);
      Tensor rstd = TestData.poisoned(DType.F32, k.device(), false, c.rows());
      k.check(k.rmsnormFwd(c.dtype().code(), c.rows(), c.n(), EPS, y.address(), rstd.address(), in.x().address(), in.wAddress()),
          "rmsnorm_fwd");
      double[] refRstd = new double[(int) c.rows()];
      double[] refY = BaseOpsReference.rmsNorm(in.x().toDoubleArray(), in.w64(), (int) c.n(), EPS, refRstd);
      assertClose(ctx, "y", refY, y.toFloatArray(), shape, c.dtype());
      assertClose(ctx, "rstd", refRstd, rstd.toFloatArray(), new long[] {c.rows()}, DType.F32);
      y.poison();  // and once more without rstd (it may be null)
      k.check(k.rmsnormFwd(c.dtype().code(), c.rows(), c.n(), EPS, y.address(), 0, in.x().address(), in.wAddress()), "rmsnorm_fwd");
      assertClose(ctx, "y (no rstd)", refY, y.toFloatArray(), shape, c.dtype());
    }
  }

  /**
   * rstd is the forward's (the oracle's, as F32); dw starts from random values, since the kernels add
   * into it; a second call without dw checks dx alone.
   */
  @ParameterizedTest(name = "{0} weight={1}")
  @MethodSource("cases")
  void backwardMatchesReference(RowCase c, boolean weighted) {
    BaseKernels k = kernels();
    String ctx = TestData.context("rmsnorm_bwd", c + "-weight=" + weighted);
    SplittableRandom rng = TestData.random(c + "-bwd-" + weighted);
    long[] shape = {c.rows(), c.n()};
    int rows = (int) c.rows();
    int n = (int) c.n();
    try (TensorScope scope = TensorScope.open()) {
      Inputs in = inputs(c, weighted, rng);
      double[] x = in.x().toDoubleArray();
      double[] rstdExact = new double[rows];
      BaseOpsReference.rmsNorm(x, in.w64(), n, EPS, rstdExact);
      Tensor rstd = TestData.upload(TestData.toFloat(rstdExact), DType.F32, k.device(), false, c.rows());
      float[] dwBefore = TestData.uniform(rng, n, -0.1, 0.1);
      Tensor dw = TestData.upload(dwBefore, DType.F32, k.device(), false, n);
      Tensor dx = TestData.poisoned(c.dtype(), k.device(), c.misaligned(), shape);
      k.check(k.rmsnormBwd(c.dtype().code(), c.rows(), c.n(), dx.address(), dw.address(), in.dy().address(), in.x().address(),
          in.wAddress(), rstd.address()), "rmsnorm_bwd");
      RmsNormReference.Backward ref = RmsNormReference.backward(in.dy().toDoubleArray(), x, in.w64(), rstd.toDoubleArray(), rows, n);
      double[] dwAfter = TestData.toDouble(dwBefore);
      for (int j = 0; j < n; j++) {
        dwAfter[j] += ref.dw()[j];
      }
      assertClose(ctx, "dx", ref.dx(), dx.toFloatArray(), shape, c.dtype());
      assertClose(ctx, "dw (accumulated)", dwAfter, dw.toFloatArray(), new long[] {n}, DType.F32);
      dx.poison();
      k.check(k.rmsnormBwd(c.dtype().code(), c.rows(), c.n(), dx.address(), 0, in.dy().address(), in.x().address(), in.wAddress(),
          rstd.address()), "rmsnorm_bwd");
      assertClose(ctx, "dx (no dw)", ref.dx(), dx.toFloatArray(), shape, c.dtype());
    }
  }

  @Test
  void rejectsBadArguments() {
    BaseKernels k = kernels();
    int f32 = DType.F32.code();
    try (TensorScope scope = TensorScope.open()) {
      long a = TestData.scratch(DType.F32, k.device(), 2, 3);
      long b = TestData.scratch(DType.F32, k.device(), 2, 3);
      long c = TestData.scratch(DType.F32, k.device(), 2, 3);
      long r = TestData.scratch(DType.F32, k.device(), 2);
      assertRejected(k, "rmsnorm_fwd: eps must be finite and >= 0, got -1", () -> k.rmsnormFwd(f32, 2, 3, -1, a, r, b, 0));
      assertRejected(k, "rmsnorm_fwd: eps must be finite and >= 0, got nan", () -> k.rmsnormFwd(f32, 2, 3, Double.NaN, a, r, b, 0));
      assertRejected(k, "rmsnorm_fwd: dtype code 2 is not a float type", () -> k.rmsnormFwd(DType.I32.code(), 2, 3, EPS, a, r, b, 0));
      assertRejected(k, "rmsnorm_fwd: row length n must be > 0, got 0", () -> k.rmsnormFwd(f32, 2, 0, EPS, a, r, b, 0));
      assertRejected(k, "rmsnorm_fwd: y is a null pointer", () -> k.rmsnormFwd(f32, 2, 3, EPS, 0, r, b, 0));
      assertRejected(k, "rmsnorm_fwd: x is a null pointer", () -> k.rmsnormFwd(f32, 2, 3, EPS, a, r, 0, 0));
      assertRejected(k, "rmsnorm_bwd: rstd is a null pointer", () -> k.rmsnormBwd(f32, 2, 3, a, 0, b, c, 0, 0));
      assertRejected(k, "rmsnorm_bwd: dy is a null pointer", () -> k.rmsnormBwd(f32, 2, 3, a, 0, 0, c, 0, r));
      assertRejected(k, "rmsnorm_bwd: x is a null pointer", () -> k.rmsnormBwd(f32, 2, 3, a, 0, b, 0, 0, r));
      assertRejected(k, "rmsnorm_bwd: dx is a null pointer", () -> k.rmsnormBwd(f32, 2, 3, 0, 0, b, c, 0, r));
      assertRejected(k, "rmsnorm_bwd: rows must be >= 0, got -3", () -> k.rmsnormBwd(f32, -3, 3, a, 0, b, c, 0, r));
    }
  }
}

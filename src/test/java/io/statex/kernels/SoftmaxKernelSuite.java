package io.statex.kernels;

import static io.statex.kernels.KernelAsserts.assertClose;
import static io.statex.kernels.KernelAsserts.assertRejected;

import io.statex.kernels.BaseKernelCases.RowCase;
import io.statex.reference.BaseOpsReference;
import io.statex.reference.SoftmaxReference;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** statex_{cpu,cuda}_softmax and _softmax_bwd against the float64 oracle; subclasses pick the library. */
abstract class SoftmaxKernelSuite {
  abstract BaseKernels kernels();

  static Stream<Arguments> cases() {
    return BaseKernelCases.rowCases().stream().flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
  }

  @ParameterizedTest(name = "{0} log={1}")
  @MethodSource("cases")
  void forwardMatchesReference(RowCase c, boolean log) {
    BaseKernels k = kernels();
    String ctx = TestData.context(log ? "log_softmax" : "softmax", c);
    SplittableRandom rng = TestData.random(c + "-" + log);
    long[] shape = {c.rows(), c.n()};
    try (TensorScope scope = TensorScope.open()) {
      Tensor x = TestData.upload(TestData.normal(rng, c.rows() * c.n(), 3), c.dtype(), k.device(), c.misaligned(), shape);
      Tensor y = TestData.poisoned(c.dtype(), k.device(), c.misaligned(), shape);
      k.check(k.softmax(c.dtype().code(), log ? 1 : 0, c.rows(), c.n(), y.address(), x.address()), "softmax");
      double[] ref = BaseOpsReference.softmax(x.toDoubleArray(), (int) c.n(), log);
      assertClose(ctx, "y", ref, y.toFloatArray(), shape, c.dtype());
    }
  }

  /** y is a genuine forward output (the oracle's, rounded to the dtype); dy is a random cotangent. */
  @ParameterizedTest(name = "{0} log={1}")
  @MethodSource("cases")
  void backwardMatchesReference(RowCase c, boolean log) {
    BaseKernels k = kernels();
    String ctx = TestData.context(log ? "log_softmax_bwd" : "softmax_bwd", c);
    SplittableRandom rng = TestData.random(c + "-bwd-" + log);
    long[] shape = {c.rows(), c.n()};
    int rows = (int) c.rows();
    int n = (int) c.n();
    double[] yExact = BaseOpsReference.softmax(TestData.toDouble(TestData.normal(rng, c.rows() * c.n(), 3)), n, log);
    try (TensorScope scope = TensorScope.open()) {
      Tensor y = TestData.upload(TestData.toFloat(yExact), c.dtype(), k.device(), c.misaligned(), shape);
      Tensor dy = TestData.upload(TestData.normal(rng, c.rows() * c.n(), 1), c.dtype(), k.device(), c.misaligned(), shape);
      Tensor dx = TestData.poisoned(c.dtype(), k.device(), c.misaligned(), shape);
      k.check(k.softmaxBwd(c.dtype().code(), log ? 1 : 0, c.rows(), c.n(), dx.address(), y.address(), dy.address()), "softmax_bwd");
      double[] ref = SoftmaxReference.backward(y.toDoubleArray(), dy.toDoubleArray(), rows, n, log);
      assertClose(ctx, "dx", ref, dx.toFloatArray(), shape, c.dtype());
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
      assertRejected(k, "softmax: log must be 0 (softmax) or 1 (log_softmax), got 2", () -> k.softmax(f32, 2, 2, 3, a, b));
      assertRejected(k, "softmax: dtype code 3 is not a float type", () -> k.softmax(DType.I64.code(), 0, 2, 3, a, b));
      assertRejected(k, "softmax: row length n must be > 0, got 0", () -> k.softmax(f32, 0, 2, 0, a, b));
      assertRejected(k, "softmax: rows must be >= 0, got -1", () -> k.softmax(f32, 0, -1, 3, a, b));
      assertRejected(k, "softmax: out is a null pointer", () -> k.softmax(f32, 0, 2, 3, 0, b));
      assertRejected(k, "softmax: in is a null pointer", () -> k.softmax(f32, 0, 2, 3, a, 0));
      assertRejected(k, "softmax: rows * n", () -> k.softmax(f32, 0, 1L << 40, 1L << 40, a, b));
      assertRejected(k, "softmax_bwd: dy is a null pointer", () -> k.softmaxBwd(f32, 1, 2, 3, a, b, 0));
      assertRejected(k, "softmax_bwd: y is a null pointer", () -> k.softmaxBwd(f32, 0, 2, 3, a, 0, c));
      assertRejected(k, "softmax_bwd: dx is a null pointer", () -> k.softmaxBwd(f32, 0, 2, 3, 0, b, c));
      assertRejected(k, "softmax_bwd: log must be 0", () -> k.softmaxBwd(f32, -1, 2, 3, a, b, c));
    }
  }
}

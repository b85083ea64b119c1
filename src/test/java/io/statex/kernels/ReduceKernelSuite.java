package io.statex.kernels;

import static io.statex.kernels.KernelAsserts.assertClose;
import static io.statex.kernels.KernelAsserts.assertExact;
import static io.statex.kernels.KernelAsserts.assertRejected;

import io.statex.backend.ReduceOp;
import io.statex.kernels.BaseKernelCases.Data;
import io.statex.kernels.BaseKernelCases.ReduceCase;
import io.statex.reference.BaseOpsReference;
import io.statex.reference.Nd;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** statex_{cpu,cuda}_reduce against the float64 oracle; subclasses pick the library. */
abstract class ReduceKernelSuite {
  abstract BaseKernels kernels();

  static List<ReduceCase> cases() {
    return BaseKernelCases.reduceCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesReference(ReduceCase c) {
    BaseKernels k = kernels();
    String ctx = TestData.context("reduce", c);
    boolean extreme = c.op() == ReduceOp.MAX || c.op() == ReduceOp.MIN;
    long[] outShape = {c.outer(), c.inner()};
    try (TensorScope scope = TensorScope.open()) {
      Tensor in = TestData.upload(draw(c), c.dtype(), k.device(), false, c.outer(), c.n(), c.inner());
      long[] refArgmax = new long[(int) (c.outer() * c.inner())];
      double[] ref = BaseOpsReference.reduce(c.op(), Nd.of(in.toDoubleArray(), c.outer(), c.n(), c.inner()), 1, refArgmax);
      Tensor out = TestData.poisoned(c.dtype(), k.device(), false, outShape);
      if (!extreme) {
        k.check(k.reduce(c.op().code(), c.dtype().code(), c.outer(), c.n(), c.inner(), out.address(), 0, in.address()), "reduce");
        assertClose(ctx, "out", ref, out.toFloatArray(), outShape, c.dtype());
        return;
      }
      Tensor argmax = TestData.poisoned(DType.I64, k.device(), false, outShape);
      k.check(k.reduce(c.op().code(), c.dtype().code(), c.outer(), c.n(), c.inner(), out.address(), argmax.address(), in.address()),
          "reduce");
      assertExact(ctx, "out", ref, out.toFloatArray(), outShape);
      assertExact(ctx, "argmax", refArgmax, argmax.toLongArray(), outShape);
      out.poison();  // and once more without argmax (it may be null)
      k.check(k.reduce(c.op().code(), c.dtype().code(), c.outer(), c.n(), c.inner(), out.address(), 0, in.address()), "reduce");
      assertExact(ctx, "out (no argmax)", ref, out.toFloatArray(), outShape);
    }
  }

  /**
   * Sums are drawn from Normal(1, 1): a zero-mean sum has |sum x| << sum |x| (condition number in the
   * hundreds for n = 5000), which no fp32 accumulation can meet a relative bound on; a mean of 1 keeps the
   * condition near 1 so that the bound tests the kernel, not the luck of the draw.
   */
  private static float[] draw(ReduceCase c) {
    SplittableRandom rng = TestData.random(c.toString());
    long count = c.outer() * c.n() * c.inner();
    if (c.data() == Data.TIES) {
      float[] v = new float[Math.toIntExact(count)];
      for (int i = 0; i < v.length; i++) {
        v[i] = rng.nextInt(-2, 3);
      }
      return v;
    }
    float[] v = TestData.normal(rng, count, 1);
    if (c.op() == ReduceOp.SUM || c.op() == ReduceOp.MEAN) {
      for (int i = 0; i < v.length; i++) {
        v[i] += 1;
      }
    }
    if (c.data() == Data.NAN) {
      for (int i = 0; i < v.length / 200 + 1; i++) {
        v[rng.nextInt(v.length)] = Float.NaN;
      }
    }
    return v;
  }

  @Test
  void rejectsBadArguments() {
    BaseKernels k = kernels();
    int sum = ReduceOp.SUM.code();
    int f32 = DType.F32.code();
    try (TensorScope scope = TensorScope.open()) {
      long in = TestData.scratch(DType.F32, k.device(), 2, 3);
      long out = TestData.scratch(DType.F32, k.device(), 2);
      long arg = TestData.scratch(DType.I64, k.device(), 2);
      assertRejected(k, "unknown op code 9", () -> k.reduce(9, f32, 2, 3, 1, out, 0, in));
      assertRejected(k, "dtype code 2 is not a float type", () -> k.reduce(sum, DType.I32.code(), 2, 3, 1, out, 0, in));
      assertRejected(k, "dtype code 7", () -> k.reduce(sum, 7, 2, 3, 1, out, 0, in));
      assertRejected(k, "reduce n (the reduced axis) must be > 0, got 0", () -> k.reduce(sum, f32, 2, 0, 1, out, 0, in));
      assertRejected(k, "reduce outer must be >= 0, got -1", () -> k.reduce(sum, f32, -1, 3, 1, out, 0, in));
      assertRejected(k, "reduce inner must be >= 0, got -2", () -> k.reduce(sum, f32, 2, 3, -2, out, 0, in));
      assertRejected(k, "reduce: out is a null pointer", () -> k.reduce(sum, f32, 2, 3, 1, 0, 0, in));
      assertRejected(k, "reduce: in is a null pointer", () -> k.reduce(sum, f32, 2, 3, 1, out, 0, 0));
      assertRejected(k, "argmax must be null for op 0", () -> k.reduce(sum, f32, 2, 3, 1, out, arg, in));
      assertRejected(k, "overflows int64", () -> k.reduce(sum, f32, 1L << 40, 1L << 30, 1, out, 0, in));
    }
  }
}

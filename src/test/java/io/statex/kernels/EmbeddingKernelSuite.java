package io.statex.kernels;

import static io.statex.kernels.KernelAsserts.assertClose;
import static io.statex.kernels.KernelAsserts.assertExact;
import static io.statex.kernels.KernelAsserts.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statex.kernels.BaseKernelCases.EmbeddingCase;
import io.statex.reference.EmbeddingReference;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * statex_{cpu,cuda}_embedding_fwd and _bwd against the float64 oracle; subclasses pick the library and
 * test the out-of-range path, which the two report differently by design (statex/embedding.h).
 */
abstract class EmbeddingKernelSuite {
  abstract BaseKernels kernels();

  static List<EmbeddingCase> cases() {
    return BaseKernelCases.embeddingCases();
  }

  /** Inputs of one case: table [vocab, dim], dout [n, dim], idx [n] (repeats included: vocab is small). */
  record Inputs(Tensor table, Tensor dout, Tensor idx, long[] idxValues) {}

  Inputs inputs(EmbeddingCase c, SplittableRandom rng) {
    BaseKernels k = kernels();
    long[] idx = new long[(int) c.n()];
    for (int p = 0; p < idx.length; p++) {
      idx[p] = rng.nextLong(c.vocab());
    }
    Tensor table = TestData.upload(TestData.normal(rng, c.vocab() * c.dim(), 1), c.dtype(), k.device(), false, c.vocab(), c.dim());
    Tensor dout = TestData.upload(TestData.normal(rng, c.n() * c.dim(), 1), c.dtype(), k.device(), false, c.n(), c.dim());
    return new Inputs(table, dout, TestData.uploadIndices(idx, c.idxDtype(), k.device()), idx);
  }

  /** Valid F32 arguments (table [5, 4], out [3, 4], I64 idx [3], bad_pos) for the bad-input tests. */
  record Scratch(long table, long out, long idx, long badPos) {}

  Scratch scratch() {
    Device d = kernels().device();
    return new Scratch(TestData.scratch(DType.F32, d, 5, 4), TestData.scratch(DType.F32, d, 3, 4), TestData.scratch(DType.I64, d, 3),
        TestData.scratch(DType.I64, d, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardMatchesReference(EmbeddingCase c) {
    BaseKernels k = kernels();
    String ctx = TestData.context("embedding_fwd", c);
    long[] shape = {c.n(), c.dim()};
    try (TensorScope scope = TensorScope.open()) {
      Inputs in = inputs(c, TestData.random(c.toString()));
      Tensor out = TestData.poisoned(c.dtype(), k.device(), false, shape);
      Tensor badPos = TestData.poisoned(DType.I64, k.device(), false, 1);
      k.check(k.embeddingFwd(c.dtype().code(), c.idxDtype().code(), c.n(), c.dim(), c.vocab(), out.address(), in.table().address(),
          in.idx().address(), badPos.address()), "embedding_fwd");
      double[] ref = EmbeddingReference.forward(in.table().toDoubleArray(), in.idxValues(), (int) c.dim());
      assertExact(ctx, "out", ref, out.toFloatArray(), shape);
      if (k.device().isCuda()) {
        assertEquals(-1, badPos.toLongArray()[0], ctx + ": bad_pos after a call without bad indices");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backwardMatchesReference(EmbeddingCase c) {
    BaseKernels k = kernels();
    String ctx = TestData.context("embedding_bwd", c);
    SplittableRandom rng = TestData.random(c + "-bwd");
    try (TensorScope scope = TensorScope.open()) {
      Inputs in = inputs(c, rng);
      float[] before = TestData.normal(rng, c.vocab() * c.dim(), 0.1);
      Tensor dtable = TestData.upload(before, DType.F32, k.device(), false, c.vocab(), c.dim());
      Tensor badPos = TestData.poisoned(DType.I64, k.device(), false, 1);
      k.check(k.embeddingBwd(c.dtype().code(), c.idxDtype().code(), c.n(), c.dim(), c.vocab(), dtable.address(), in.dout().address(),
          in.idx().address(), badPos.address()), "embedding_bwd");
      double[] ref = EmbeddingReference.backward(TestData.toDouble(before), in.dout().toDoubleArray(), in.idxValues(), (int) c.dim());
      assertClose(ctx, "dtable (accumulated)", ref, dtable.toFloatArray(), new long[] {c.vocab(), c.dim()}, DType.F32);
      if (k.device().isCuda()) {
        assertEquals(-1, badPos.toLongArray()[0], ctx + ": bad_pos after a call without bad indices");
      }
    }
  }

  @Test
  void rejectsBadArguments() {
    BaseKernels k = kernels();
    int f32 = DType.F32.code();
    int i64 = DType.I64.code();
    try (TensorScope scope = TensorScope.open()) {
      Scratch a = scratch();
      long table = a.table();
      long out = a.out();
      long idx = a.idx();
      long bad = a.badPos();
      assertRejected(k, "embedding_fwd: index dtype code 0 is not an integer type",
          () -> k.embeddingFwd(f32, f32, 3, 4, 5, out, table, idx, bad));
      assertRejected(k, "embedding_fwd: dtype code 3 is not a float type", () -> k.embeddingFwd(i64, i64, 3, 4, 5, out, table, idx, bad));
      assertRejected(k, "embedding_fwd: dim must be > 0, got 0", () -> k.embeddingFwd(f32, i64, 3, 0, 5, out, table, idx, bad));
      assertRejected(k, "embedding_fwd: vocab must be > 0, got 0", () -> k.embeddingFwd(f32, i64, 3, 4, 0, out, table, idx, bad));
      assertRejected(k, "embedding_fwd: n (number of indices) must be >= 0, got -1",
          () -> k.embeddingFwd(f32, i64, -1, 4, 5, out, table, idx, bad));
      assertRejected(k, "embedding_fwd: table is a null pointer", () -> k.embeddingFwd(f32, i64, 3, 4, 5, out, 0, idx, bad));
      assertRejected(k, "embedding_fwd: out is a null pointer", () -> k.embeddingFwd(f32, i64, 3, 4, 5, 0, table, idx, bad));
      assertRejected(k, "embedding_fwd: idx is a null pointer", () -> k.embeddingFwd(f32, i64, 3, 4, 5, out, table, 0, bad));
      assertRejected(k, "embedding_fwd: vocab * dim", () -> k.embeddingFwd(f32, i64, 3, 1L << 40, 1L << 40, out, table, idx, bad));
      assertRejected(k, "embedding_bwd: dtable is a null pointer", () -> k.embeddingBwd(f32, i64, 3, 4, 5, 0, out, idx, bad));
      assertRejected(k, "embedding_bwd: dout is a null pointer", () -> k.embeddingBwd(f32, i64, 3, 4, 5, table, 0, idx, bad));
      assertRejected(k, "embedding_bwd: index dtype code 1", () -> k.embeddingBwd(f32, 1, 3, 4, 5, table, out, idx, bad));
    }
  }
}

package io.statex.backend;

import io.statex.tensor.Tensor;

/**
 * One batched GEMM: for every batch index i, C[i] = alpha * op(A[i]) op(B[i]) + beta * C[i].
 *
 * <p>a, b and c are rank-3 views [batch, rows, cols] whose last dimension has stride 1 (row-major
 * matrices with leading dimension = stride of dimension 1). A is stored [m, k] or, when transA, [k, m];
 * B is stored [k, n] or, when transB, [n, k]; C is [m, n]. A batch of 1 in a or b is broadcast
 * (batch stride 0). F32 or BF16 (F64 on the CPU), one dtype for all three; accumulation in fp32
 * (double for F64).
 */
public record Gemm(Tensor c, Tensor a, Tensor b, boolean transA, boolean transB, float alpha, float beta) {

  public long batch() {
    return c.shapeRef()[0];
  }

  public long m() {
    return c.shapeRef()[1];
  }

  public long n() {
    return c.shapeRef()[2];
  }

  public long k() {
    return transA ? a.shapeRef()[1] : a.shapeRef()[2];
  }

  public long lda() {
    return leading(a);
  }

  public long ldb() {
    return leading(b);
  }

  public long ldc() {
    return leading(c);
  }

  public long strideA() {
    return a.shapeRef()[0] == 1 ? 0 : a.stridesRef()[0];
  }

  public long strideB() {
    return b.shapeRef()[0] == 1 ? 0 : b.stridesRef()[0];
  }

  public long strideC() {
    return c.stridesRef()[0];
  }

  /** Row stride; for a single-row matrix any value >= cols is valid, so use cols. */
  private static long leading(Tensor t) {
    long rows = t.shapeRef()[1];
    long cols = t.shapeRef()[2];
    return rows == 1 ? Math.max(1, cols) : t.stridesRef()[1];
  }

  /** Rejects operands the kernels cannot take, naming what is wrong. */
  public void validate() {
    check(a, "A");
    check(b, "B");
    check(c, "C");
    if (a.dtype() != c.dtype() || b.dtype() != c.dtype()) {
      throw new IllegalArgumentException("gemm: dtypes differ: A " + a.dtype() + ", B " + b.dtype() + ", C " + c.dtype());
    }
    long kb = transB ? b.shapeRef()[2] : b.shapeRef()[1];
    long ma = transA ? a.shapeRef()[2] : a.shapeRef()[1];
    long nb = transB ? b.shapeRef()[1] : b.shapeRef()[2];
    if (ma != m() || nb != n() || kb != k()) {
      throw new IllegalArgumentException("gemm: op(A) is [" + ma + ", " + k() + "], op(B) is [" + kb + ", " + nb + "], C is [" + m() + ", " + n() + "]");
    }
    long bt = batch();
    if ((a.shapeRef()[0] != 1 && a.shapeRef()[0] != bt) || (b.shapeRef()[0] != 1 && b.shapeRef()[0] != bt)) {
      throw new IllegalArgumentException("gemm: batch sizes A " + a.shapeRef()[0] + ", B " + b.shapeRef()[0] + " do not match C " + bt);
    }
  }

  private static void check(Tensor t, String name) {
    if (t.ndim() != 3) {
      throw new IllegalArgumentException("gemm: " + name + " must be rank 3 [batch, rows, cols], got " + t);
    }
    if (t.shapeRef()[2] > 1 && t.stridesRef()[2] != 1) {
      throw new IllegalArgumentException("gemm: " + name + " must have unit stride in its last dimension");
    }
    if (t.shapeRef()[1] > 1 && t.stridesRef()[1] < t.shapeRef()[2]) {
      throw new IllegalArgumentException("gemm: " + name + " rows overlap (row stride " + t.stridesRef()[1] + " < cols " + t.shapeRef()[2] + ")");
    }
  }
}

package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.Gemm;
import io.statex.tensor.Shapes;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * Matrix products: a [..., m, k] @ b [..., k, n] with numpy broadcasting of the batch dimensions,
 * optional transposes of the last two dimensions, F32 or BF16 with fp32 accumulation (OpenBLAS on
 * the CPU, cuBLAS on CUDA), or F64 on the CPU (OpenBLAS dgemm). Transposed views are passed to BLAS as transposes, not copied; a copy is
 * made only when the batch dimensions cannot be expressed as one stride.
 */
public final class MatMul {
  private MatMul() {}

  public static Tensor matmul(Tensor a, Tensor b) {
    return matmul(a, b, false, false);
  }

  /** op(a) @ op(b), where op transposes the last two dimensions when the flag is set. */
  public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
    Checks.floatDType("matmul", "a", a);
    Checks.floatDType("matmul", "b", b);
    Checks.sameDType("matmul", "a", a, "b", b);
    Checks.sameDevice("matmul", "a", a, "b", b);
    if (a.ndim() < 2 || b.ndim() < 2) {
      throw new IllegalArgumentException("matmul: operands need rank >= 2, got " + Arrays.toString(a.shapeRef()) + " and " + Arrays.toString(b.shapeRef()));
    }
    long m = a.size(transA ? -1 : -2);
    long k = a.size(transA ? -2 : -1);
    long kb = b.size(transB ? -1 : -2);
    long n = b.size(transB ? -2 : -1);
    if (k != kb) {
      throw new IllegalArgumentException("matmul: inner dimensions differ: op(a) is [" + m + ", " + k + "], op(b) is [" + kb + ", " + n + "]");
    }
    long[] batch = Shapes.broadcast(batchShape(a), batchShape(b));
    long batchCount = Shapes.numel(batch);
    long[] outShape = Arrays.copyOf(batch, batch.length + 2);
    outShape[batch.length] = m;
    outShape[batch.length + 1] = n;
    Tensor out = Tensor.empty(a.dtype(), a.device(), outShape);
    if (batchCount == 0 || m == 0 || n == 0) {
      return out;
    }
    if (k == 0) {
      out.fill(0);
      return out;
    }
    try (Operand oa = Operand.of(a, batch, transA);
        Operand ob = Operand.of(b, batch, transB);
        Tensor c = out.reshape(batchCount, m, n)) {
      a.backend().gemm(new Gemm(c, oa.matrix, ob.matrix, oa.transposed, ob.transposed, 1f, 0f));
    }
    return out;
  }

  private static long[] batchShape(Tensor t) {
    return Arrays.copyOf(t.shapeRef(), t.ndim() - 2);
  }

  /** A rank-3 [batch or 1, rows, cols] view with unit column stride, and whether it is transposed. */
  private static final class Operand implements AutoCloseable {
    final Tensor matrix;
    final boolean transposed;

    private Operand(Tensor matrix, boolean transposed) {
      this.matrix = matrix;
      this.transposed = transposed;
    }

    static Operand of(Tensor t, long[] batch, boolean trans) {
      long[] shape = t.shapeRef();
      long[] strides = t.stridesRef();
      int r = shape.length;
      long rows = shape[r - 2];
      long cols = shape[r - 1];
      boolean rowMajor = cols == 1 || strides[r - 1] == 1;
      boolean colMajor = !rowMajor && (rows == 1 || strides[r - 2] == 1);
      long[] expanded = Arrays.copyOf(batch, batch.length + 2);
      expanded[batch.length] = rows;
      expanded[batch.length + 1] = cols;
      try (Tensor e = t.expand(expanded)) {
        long batchStride = uniformBatchStride(e, batch.length);
        if ((rowMajor || colMajor) && batchStride >= 0) {
          long count = batchStride == 0 ? 1 : Shapes.numel(batch);
          long stride = batchStride == 0 ? 0 : batchStride;
          if (rowMajor) {
            return new Operand(strided(e, count, rows, cols, stride, strides[r - 2]), trans);
          }
          // Column-major storage is the transpose of a row-major [cols, rows] matrix.
          return new Operand(strided(e, count, cols, rows, stride, strides[r - 1]), !trans);
        }
        try (Tensor c = e.contiguous()) {
          return new Operand(c.reshape(Shapes.numel(batch), rows, cols), trans);
        }
      }
    }

    /** The single stride that walks all batch dimensions in order, 0 if all broadcast, -1 if none. */
    private static long uniformBatchStride(Tensor e, int nb) {
      long[] s = e.shapeRef();
      long[] st = e.stridesRef();
      boolean allZero = true;
      for (int i = 0; i < nb; i++) {
        if (s[i] != 1 && st[i] != 0) {
          allZero = false;
        }
      }
      if (allZero) {
        return 0;
      }
      long inner = -1;
      for (int i = nb - 1; i >= 0; i--) {
        if (s[i] == 1) {
          continue;
        }
        if (inner == -1) {
          inner = st[i];
          if (inner == 0) {
            return -1;
          }
          continue;
        }
        long expect = inner;
        for (int j = i + 1; j < nb; j++) {
          expect *= s[j];
        }
        if (st[i] != expect) {
          return -1;
        }
      }
      return inner;
    }

    private static Tensor strided(Tensor e, long count, long rows, long cols, long batchStride, long rowStride) {
      return new Tensor(e.storage(), e.dtype(), new long[] {count, rows, cols}, new long[] {batchStride, rowStride, 1}, e.offset());
    }

    @Override
    public void close() {
      matrix.close();
    }
  }

  // ---------------------------------------------------------------- differentiable (Var) forms

  /**
   * y = x W^T (+ bias): x [..., in], W [out, in] (the layout of torch.nn.Linear and of Hugging Face
   * checkpoints), bias [out] or null. One GEMM over all rows; the backward is two more
   * (dx = dy W, dW = dy^T x) and a row sum for the bias.
   */
  public static Var linear(Var x, Var w, Var bias) {
    Tensor xv = x.value(), wv = w.value();
    long in = wv.size(1), out = wv.size(0);
    if (xv.ndim() < 1 || xv.size(-1) != in) {
      throw new IllegalArgumentException("linear: x's last dimension must be " + in + " (weight " + Arrays.toString(wv.shapeRef())
          + "), got x " + Arrays.toString(xv.shapeRef()));
    }
    long[] outShape = xv.shape();
    outShape[outShape.length - 1] = out;
    Tensor y;
    try (Tensor x2 = GradUtil.rows(xv);
        Tensor y2 = matmul(x2, wv, false, true)) {
      y = y2.reshape(outShape);
    }
    if (bias != null) {
      Tensor withBias = Elementwise.add(y, bias.value());
      y.close();
      y = withBias;
    }
    return Tape.record("linear", new Var[] {x, w, bias}, y, (g, needs) -> {
      Tensor dx = null, dw = null, db = null;
      try (Tensor g2 = GradUtil.rows(g[0])) {
        if (needs[0]) {
          try (Tensor dx2 = matmul(g2, wv)) {
            dx = dx2.reshape(xv.shapeRef());
          }
        }
        if (needs[1]) {
          try (Tensor x2 = GradUtil.rows(xv)) {
            dw = matmul(g2, x2, true, false);
          }
        }
        if (needs[2]) {
          db = Reductions.sum(g2, 0, false);
        }
      }
      return new Tensor[] {dx, dw, db};
    });
  }
}

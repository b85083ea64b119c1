package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * Embedding gather: out[..., :] = table[idx[...], :] for table [vocab, dim] (F32/BF16, or F64 on the
 * CPU) and integer indices (I32/I64) of any shape; an index outside [0, vocab) is an
 * IllegalArgumentException naming it. The backward scatter-adds into a gradient table of dout's wide
 * dtype ({@link DType#wide}): F32, or F64 for F64 dout.
 */
public final class Embedding {
  private Embedding() {}

  public static Tensor forward(Tensor table, Tensor idx) {
    check("embedding", table, idx);
    long[] shape = Arrays.copyOf(idx.shapeRef(), idx.ndim() + 1);
    shape[idx.ndim()] = table.size(1);
    Tensor out = Tensor.empty(table.dtype(), table.device(), shape);
    try (Tensor t = table.contiguous();
        Tensor i = idx.contiguous()) {
      table.backend().embedding(out, t, i);
    }
    return out;
  }

  /** dtable ([vocab, dim] of dout's wide dtype, accumulated into) += scatter of dout [..., dim] by idx. */
  public static void backwardInto(Tensor dtable, Tensor dout, Tensor idx) {
    check("embedding backward", dtable, idx);
    Checks.floatDType("embedding backward", "dout", dout);
    Checks.dtype("embedding backward", "dtable", dtable, dout.dtype().wide());
    Checks.sameDevice("embedding backward", "dtable", dtable, "dout", dout);
    if (!dtable.isContiguous()) {
      throw new IllegalArgumentException("embedding backward: dtable must be contiguous");
    }
    long[] expect = Arrays.copyOf(idx.shapeRef(), idx.ndim() + 1);
    expect[idx.ndim()] = dtable.size(1);
    Checks.shape("embedding backward", "dout", dout, expect);
    try (Tensor d = dout.contiguous();
        Tensor i = idx.contiguous()) {
      dtable.backend().embeddingBackward(dtable, d, i);
    }
  }

  private static void check(String op, Tensor table, Tensor idx) {
    Checks.notNull(op, "table", table);
    Checks.rank(op, "table", table, 2);
    Checks.dtype(op, "idx", idx, DType.I32, DType.I64);
    Checks.sameDevice(op, "table", table, "idx", idx);
  }

  // ---------------------------------------------------------------- differentiable (Var) form

  /** Rows of table [vocab, dim] picked by idx (I32/I64, any shape); the gradient scatters back. */
  public static Var apply(Var table, Tensor idx) {
    Tensor tv = table.value();
    return Tape.record("embedding", new Var[] {table}, forward(tv, idx), (g, needs) -> {
      Tensor dt = Tensor.zeros(tv.dtype() == DType.BF16 ? DType.F32 : tv.dtype(), tv.device(), tv.shapeRef());
      backwardInto(dt, g[0], idx);
      return new Tensor[] {dt};
    });
  }
}

package io.statex.ops;

import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/** Casts, copies and concatenation (slices and other views are methods of {@link Tensor}). */
public final class Shaping {
  private Shaping() {}

  /** A copy of x converted to dtype (F32 -> BF16 rounds to nearest even). */
  public static Tensor cast(Tensor x, DType dtype) {
    Checks.notNull("cast", "x", x);
    Tensor out = Tensor.empty(dtype, x.device(), x.shapeRef());
    x.backend().copy(out, x);
    return out;
  }

  /** Tensors of one dtype and device joined along dim; all other dimensions must match. */
  public static Tensor concat(int dim, Tensor... parts) {
    if (parts == null || parts.length == 0) {
      throw new IllegalArgumentException("concat: no tensors given");
    }
    Tensor first = parts[0];
    Checks.notNull("concat", "tensor 0", first);
    int d = io.statex.tensor.Shapes.axis(dim, first.ndim());
    long total = 0;
    for (int i = 0; i < parts.length; i++) {
      Tensor p = parts[i];
      Checks.notNull("concat", "tensor " + i, p);
      Checks.sameDType("concat", "tensor 0", first, "tensor " + i, p);
      Checks.sameDevice("concat", "tensor 0", first, "tensor " + i, p);
      if (p.ndim() != first.ndim()) {
        throw new IllegalArgumentException("concat: tensor " + i + " has rank " + p.ndim() + ", tensor 0 has " + first.ndim());
      }
      for (int j = 0; j < p.ndim(); j++) {
        if (j != d && p.shapeRef()[j] != first.shapeRef()[j]) {
          throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Arrays.toString(p.shapeRef())
              + ", incompatible with " + Arrays.toString(first.shapeRef()) + " outside dimension " + d);
        }
      }
      total += p.shapeRef()[d];
    }
    long[] shape = first.shape();
    shape[d] = total;
    Tensor out = Tensor.empty(first.dtype(), first.device(), shape);
    long at = 0;
    for (Tensor p : parts) {
      long len = p.shapeRef()[d];
      try (Tensor dst = out.slice(d, at, at + len)) {
        first.backend().copy(dst, p);
      }
      at += len;
    }
    return out;
  }
}

package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
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

  // ---------------------------------------------------------------- differentiable (Var) forms

  /** x with a new shape (a view when x is contiguous; one axis may be -1). */
  public static Var reshape(Var x, long... shape) {
    long[] in = x.value().shape();
    return Tape.record("reshape", new Var[] {x}, x.value().reshape(shape),
        (g, needs) -> new Tensor[] {g[0].reshape(in)});
  }

  /** Elements start..end-1 along dim (a view). The backward scatters into zeros. */
  public static Var slice(Var x, int dim, long start, long end) {
    Tensor xv = x.value();
    return Tape.record("slice", new Var[] {x}, xv.slice(dim, start, end), (g, needs) -> {
      Tensor dx = Tensor.zeros(g[0].dtype(), xv.device(), xv.shapeRef());
      try (Tensor dst = dx.slice(dim, start, end)) {
        dx.backend().copy(dst, g[0]);
      }
      return new Tensor[] {dx};
    });
  }

  /** x converted to dtype (its gradient converted back). */
  public static Var cast(Var x, DType dtype) {
    DType from = x.dtype();
    return Tape.record("cast", new Var[] {x}, x.value().to(dtype), (g, needs) -> new Tensor[] {g[0].to(from)});
  }

  /** x made contiguous (identity for the gradient). */
  public static Var contiguous(Var x) {
    return Tape.record("contiguous", new Var[] {x}, x.value().contiguous(), (g, needs) -> new Tensor[] {g[0].view()});
  }

  /** Vars of one dtype joined along dim. */
  public static Var concat(int dim, Var... parts) {
    Tensor[] values = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = parts[i].value();
    }
    Tensor out = concat(dim, values);
    int d = io.statex.tensor.Shapes.axis(dim, out.ndim());
    return Tape.record("concat", parts, out, (g, needs) -> {
      Tensor[] grads = new Tensor[parts.length];
      long at = 0;
      for (int i = 0; i < parts.length; i++) {
        long len = values[i].size(d);
        if (needs[i]) {
          try (Tensor s = g[0].slice(d, at, at + len)) {
            grads[i] = s.contiguous();
          }
        }
        at += len;
      }
      return grads;
    });
  }
}

package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.ReduceOp;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;

/**
 * Reductions along one axis (sum, mean, max, min) with fp32 accumulation (double on the CPU; F64
 * inputs, CPU only, stay double throughout). The input is viewed as
 * [outer, n, inner] around the axis (made contiguous first if it is a view).
 */
public final class Reductions {
  private Reductions() {}

  /** Values and (for max/min) the I64 index of the first extreme element along the axis. */
  public record Extreme(Tensor values, Tensor indices) implements AutoCloseable {
    @Override
    public void close() {
      values.close();
      indices.close();
    }
  }

  public static Tensor sum(Tensor x, int axis, boolean keepDim) {
    return reduce(ReduceOp.SUM, x, axis, keepDim, false).values();
  }

  public static Tensor mean(Tensor x, int axis, boolean keepDim) {
    return reduce(ReduceOp.MEAN, x, axis, keepDim, false).values();
  }

  public static Extreme max(Tensor x, int axis, boolean keepDim) {
    return reduce(ReduceOp.MAX, x, axis, keepDim, true);
  }

  public static Extreme min(Tensor x, int axis, boolean keepDim) {
    return reduce(ReduceOp.MIN, x, axis, keepDim, true);
  }

  /** Sum of every element, as a one-element tensor of x's dtype. */
  public static Tensor sumAll(Tensor x) {
    try (Tensor flat = x.reshape(1, -1);
        Tensor s = reduce(ReduceOp.SUM, flat, 1, false, false).values()) {
      return s.reshape();
    }
  }

  private static Extreme reduce(ReduceOp op, Tensor x, int axis, boolean keepDim, boolean withIndices) {
    String name = op.name().toLowerCase();
    Checks.floatDType(name, "x", x);
    if (x.ndim() == 0) {
      throw new IllegalArgumentException(name + ": x is a scalar; there is no axis to reduce");
    }
    int a = io.statex.tensor.Shapes.axis(axis, x.ndim());
    long[] shape = x.shapeRef();
    long n = shape[a];
    if (n == 0) {
      throw new IllegalArgumentException(name + ": axis " + a + " of shape " + java.util.Arrays.toString(shape) + " is empty");
    }
    long outer = 1;
    long inner = 1;
    for (int i = 0; i < a; i++) {
      outer *= shape[i];
    }
    for (int i = a + 1; i < shape.length; i++) {
      inner *= shape[i];
    }
    long[] outShape = keepDim ? shape.clone() : new long[shape.length - 1];
    if (keepDim) {
      outShape[a] = 1;
    } else {
      for (int i = 0, j = 0; i < shape.length; i++) {
        if (i != a) {
          outShape[j++] = shape[i];
        }
      }
    }
    Tensor out = Tensor.empty(x.dtype(), x.device(), outShape);
    Tensor idx = withIndices ? Tensor.empty(DType.I64, x.device(), outShape) : null;
    try (Tensor in = x.contiguous()) {
      x.backend().reduce(op, out, idx, in, outer, n, inner);
    }
    return new Extreme(out, idx);
  }

  // ---------------------------------------------------------------- differentiable (Var) forms

  /** The sum of every element (a scalar). */
  public static Var sumAll(Var x) {
    Tensor xv = x.value();
    return Tape.record("sum", new Var[] {x}, sumAll(xv), (g, needs) -> {
      try (Tensor e = g[0].reshape(ones(xv.ndim()))) {
        try (Tensor b = e.expand(xv.shapeRef())) {
          return new Tensor[] {b.contiguous()};
        }
      }
    });
  }

  /** The mean of every element (a scalar). */
  public static Var meanAll(Var x) {
    return io.statex.ops.Elementwise.mulScalar(sumAll(x), 1.0 / Math.max(1, x.value().numel()));
  }

  private static long[] ones(int n) {
    long[] s = new long[n];
    java.util.Arrays.fill(s, 1);
    return s;
  }
}

package io.statex.ops;

import io.statex.tensor.Tensor;

/**
 * Softmax and log-softmax over the last axis (numerically stable, fp32 accumulation; F64 on the CPU in
 * double), and backward.
 */
public final class Softmax {
  private Softmax() {}

  public static Tensor softmax(Tensor x) {
    return forward(x, false);
  }

  public static Tensor logSoftmax(Tensor x) {
    return forward(x, true);
  }

  /** dx from the forward output y and dy. */
  public static Tensor backward(Tensor y, Tensor dy, boolean log) {
    String name = log ? "log_softmax backward" : "softmax backward";
    Checks.floatDType(name, "y", y);
    Checks.floatDType(name, "dy", dy);
    Checks.sameDType(name, "y", y, "dy", dy);
    Checks.sameDevice(name, "y", y, "dy", dy);
    Checks.shape(name, "dy", dy, y.shapeRef());
    long n = lastDim(name, y);
    Tensor dx = Tensor.empty(y.dtype(), y.device(), y.shapeRef());
    try (Tensor yc = y.contiguous();
        Tensor dyc = dy.contiguous()) {
      y.backend().softmaxBackward(dx, yc, dyc, log, y.numel() / n, n);
    }
    return dx;
  }

  private static Tensor forward(Tensor x, boolean log) {
    String name = log ? "log_softmax" : "softmax";
    Checks.floatDType(name, "x", x);
    long n = lastDim(name, x);
    Tensor out = Tensor.empty(x.dtype(), x.device(), x.shapeRef());
    try (Tensor xc = x.contiguous()) {
      x.backend().softmax(out, xc, log, x.numel() / n, n);
    }
    return out;
  }

  private static long lastDim(String op, Tensor x) {
    if (x.ndim() == 0 || x.size(-1) == 0) {
      throw new IllegalArgumentException(op + ": needs a non-empty last axis, got shape " + java.util.Arrays.toString(x.shapeRef()));
    }
    return x.size(-1);
  }
}

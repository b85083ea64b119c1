package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;

/**
 * RMSNorm over the last axis: y = x / sqrt(mean(x^2) + eps) * w, fp32 statistics. The forward keeps
 * the per-row 1/rms for the backward, in x's wide dtype ({@link DType#wide}): F32, or F64 for F64 x
 * (CPU only), so that an F64 forward and backward are double from end to end. dw has that dtype too.
 */
public final class RmsNorm {
  private RmsNorm() {}

  /** The normalised output and the per-row reciprocal RMS (x's wide dtype). */
  public record Result(Tensor y, Tensor rstd) implements AutoCloseable {
    @Override
    public void close() {
      y.close();
      rstd.close();
    }
  }

  /** Gradients; dw is null when there was no weight. */
  public record Grads(Tensor dx, Tensor dw) implements AutoCloseable {
    @Override
    public void close() {
      dx.close();
      if (dw != null) {
        dw.close();
      }
    }
  }

  public static Result forward(Tensor x, Tensor w, double eps) {
    Checks.floatDType("rmsnorm", "x", x);
    long n = rowLength(x);
    checkWeight("rmsnorm", x, w, n);
    if (!(eps >= 0)) {
      throw new IllegalArgumentException("rmsnorm: eps must be >= 0, got " + eps);
    }
    long rows = x.numel() / n;
    long[] rowShape = java.util.Arrays.copyOf(x.shapeRef(), x.ndim() - 1);
    Tensor y = Tensor.empty(x.dtype(), x.device(), x.shapeRef());
    Tensor rstd = Tensor.empty(x.dtype().wide(), x.device(), rowShape);
    try (Tensor xc = x.contiguous();
        Tensor wc = w == null ? null : w.contiguous()) {
      x.backend().rmsNorm(y, rstd, xc, wc, eps, rows, n);
    }
    return new Result(y, rstd);
  }

  public static Grads backward(Tensor dy, Tensor x, Tensor w, Tensor rstd) {
    Checks.floatDType("rmsnorm backward", "x", x);
    Checks.floatDType("rmsnorm backward", "dy", dy);
    Checks.sameDType("rmsnorm backward", "dy", dy, "x", x);
    Checks.shape("rmsnorm backward", "dy", dy, x.shapeRef());
    Checks.dtype("rmsnorm backward", "rstd", rstd, x.dtype().wide());
    long n = rowLength(x);
    checkWeight("rmsnorm backward", x, w, n);
    long rows = x.numel() / n;
    Checks.shape("rmsnorm backward", "rstd", rstd, java.util.Arrays.copyOf(x.shapeRef(), x.ndim() - 1));
    Tensor dx = Tensor.empty(x.dtype(), x.device(), x.shapeRef());
    Tensor dw = w == null ? null : Tensor.zeros(x.dtype().wide(), x.device(), n);
    try (Tensor xc = x.contiguous();
        Tensor dyc = dy.contiguous();
        Tensor wc = w == null ? null : w.contiguous();
        Tensor rc = rstd.contiguous()) {
      x.backend().rmsNormBackward(dx, dw, dyc, xc, wc, rc, rows, n);
    }
    return new Grads(dx, dw);
  }

  private static long rowLength(Tensor x) {
    if (x.ndim() == 0 || x.size(-1) == 0) {
      throw new IllegalArgumentException("rmsnorm: x needs a non-empty last axis, got shape " + java.util.Arrays.toString(x.shapeRef()));
    }
    return x.size(-1);
  }

  private static void checkWeight(String op, Tensor x, Tensor w, long n) {
    if (w == null) {
      return;
    }
    Checks.floatDType(op, "w", w);
    Checks.sameDType(op, "x", x, "w", w);
    Checks.sameDevice(op, "x", x, "w", w);
    Checks.shape(op, "w", w, n);
  }

  // ---------------------------------------------------------------- differentiable (Var) form

  /** RMSNorm over the last axis with weight w (or none), recorded for backward. */
  public static Var apply(Var x, Var w, double eps) {
    Tensor xv = x.value(), wv = w == null ? null : w.value();
    Result r = forward(xv, wv, eps);
    Tensor rstd = r.rstd();
    return Tape.record("rmsnorm", new Var[] {x, w}, r.y(), (g, needs) -> {
      Grads gr = backward(g[0], xv, wv, rstd);
      return new Tensor[] {gr.dx(), gr.dw()};
    });
  }
}

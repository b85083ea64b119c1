package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.UnaryOp;
import io.statex.tensor.Tensor;

/**
 * The two gated RMSNorms of the recurrent layers, each recorded as one node (its backward reuses the
 * forward's statistics instead of taping four elementwise ops):
 *
 * <ul>
 *   <li>{@link #normThenGate} (GLA's output norm, per head): {@code y = RMSNorm_V(o) * w * silu(g)},
 *       o and g [..., V], w [V] shared by the heads.
 *   <li>{@link #gateThenNorm} (Mamba2's, {@code norm_before_gate=False}): {@code y = RMSNorm_group(x *
 *       silu(z)) * w}, x and z [..., D], w [D], the RMS taken over each of {@code groups} equal slices
 *       of D.
 * </ul>
 */
public final class GatedRmsNorm {
  private GatedRmsNorm() {}

  /** RMSNorm(o) * w * silu(g) over the last axis. */
  public static Var normThenGate(Var o, Var g, Var w, double eps) {
    Tensor ov = o.value(), gv = g.value(), wv = w.value();
    Checks.shape("gated rmsnorm", "g", gv, ov.shapeRef());
    RmsNorm.Result r = RmsNorm.forward(ov, wv, eps);
    Tensor n = r.y(), rstd = r.rstd();
    Tensor y;
    try (Tensor s = Elementwise.silu(gv)) {
      y = Elementwise.mul(n, s);
    }
    return Tape.record("gated_rmsnorm", new Var[] {o, g, w}, y, (d, needs) -> {
      Tensor dO = null, dW = null, dG = null;
      if (needs[2] || needs[0]) {
        try (Tensor s = Elementwise.silu(gv);
            Tensor dn = Elementwise.mul(d[0], s)) {
          RmsNorm.Grads gr = RmsNorm.backward(dn, ov, wv, rstd);
          dO = gr.dx();
          dW = gr.dw();
        }
      }
      if (needs[1]) {
        try (Tensor dyn = Elementwise.mul(d[0], n)) {
          dG = Elementwise.unaryBackward(UnaryOp.SILU, dyn, gv, 0);
        }
      }
      return new Tensor[] {dO, dG, dW};
    });
  }

  /** RMSNorm_group(x * silu(z)) * w, the RMS over groups equal slices of the last axis. */
  public static Var gateThenNorm(Var x, Var z, Var w, int groups, double eps) {
    Tensor xv = x.value(), zv = z.value(), wv = w.value();
    long d = xv.size(-1);
    Checks.shape("gated rmsnorm", "z", zv, xv.shapeRef());
    Checks.shape("gated rmsnorm", "w", wv, d);
    if (groups < 1 || d % groups != 0) {
      throw new IllegalArgumentException("gated rmsnorm: groups must divide the last dimension " + d + ", got " + groups);
    }
    long[] grouped = grouped(xv.shapeRef(), groups);
    Tensor u, v, rstd, y;
    try (Tensor s = Elementwise.silu(zv)) {
      u = Elementwise.mul(xv, s);
    }
    try (Tensor ug = u.reshape(grouped)) {
      RmsNorm.Result r = RmsNorm.forward(ug, null, eps);
      rstd = r.rstd();
      v = r.y().reshape(xv.shapeRef());
      r.y().close();
    }
    y = Elementwise.mul(v, wv);
    return Tape.record("gated_rmsnorm_group", new Var[] {x, z, w}, y, (dy, needs) -> {
      Tensor dX = null, dZ = null, dW = null;
      if (needs[2]) {
        try (Tensor p = Elementwise.mul(dy[0], v)) {
          dW = GradUtil.sumTo(p, wv.shapeRef());
        }
      }
      if (needs[0] || needs[1]) {
        Tensor du;
        try (Tensor dv = Elementwise.mul(dy[0], wv);
            Tensor dvg = dv.reshape(grouped);
            Tensor ug = u.reshape(grouped)) {
          RmsNorm.Grads gr = RmsNorm.backward(dvg, ug, null, rstd);
          du = gr.dx().reshape(xv.shapeRef());
          gr.dx().close();
        }
        try (du) {
          if (needs[0]) {
            try (Tensor s = Elementwise.silu(zv)) {
              dX = Elementwise.mul(du, s);
            }
          }
          if (needs[1]) {
            try (Tensor dux = Elementwise.mul(du, xv)) {
              dZ = Elementwise.unaryBackward(UnaryOp.SILU, dux, zv, 0);
            }
          }
        }
      }
      return new Tensor[] {dX, dZ, dW};
    });
  }

  private static long[] grouped(long[] shape, int groups) {
    long[] s = java.util.Arrays.copyOf(shape, shape.length + 1);
    s[shape.length - 1] = groups;
    s[shape.length] = shape[shape.length - 1] / groups;
    return s;
  }
}

package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.UnaryOp;
import io.statex.tensor.Tensor;

/** SwiGLU's gating, {@code silu(gate) * up}, recorded as one node. */
public final class SwiGlu {
  private SwiGlu() {}

  public static Var apply(Var gate, Var up) {
    Tensor gv = gate.value(), uv = up.value();
    Checks.shape("swiglu", "up", uv, gv.shapeRef());
    Tensor y;
    try (Tensor s = Elementwise.silu(gv)) {
      y = Elementwise.mul(s, uv);
    }
    return Tape.record("swiglu", new Var[] {gate, up}, y, (d, needs) -> {
      Tensor dg = null, du = null;
      if (needs[0]) {
        try (Tensor p = Elementwise.mul(d[0], uv)) {
          dg = Elementwise.unaryBackward(UnaryOp.SILU, p, gv, 0);
        }
      }
      if (needs[1]) {
        try (Tensor s = Elementwise.silu(gv)) {
          du = Elementwise.mul(d[0], s);
        }
      }
      return new Tensor[] {dg, du};
    });
  }
}

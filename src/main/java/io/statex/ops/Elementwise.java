package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.BinaryOp;
import io.statex.backend.UnaryOp;
import io.statex.tensor.Shapes;
import io.statex.tensor.Tensor;

/**
 * Elementwise ops: unary functions (optionally with a scalar) and binary ops with numpy
 * broadcasting. Inputs of one float dtype (F32 or BF16, or F64 on the CPU) and one device; any
 * strides (views work without copies); the result is a new contiguous tensor.
 */
public final class Elementwise {
  private Elementwise() {}

  public static Tensor unary(UnaryOp op, Tensor x, double scalar) {
    Checks.floatDType(op.name().toLowerCase(), "x", x);
    Tensor out = Tensor.empty(x.dtype(), x.device(), x.shapeRef());
    x.backend().unary(op, out, x, scalar);
    return out;
  }

  /** dx = dy * op'(x) (the backward of {@link #unary}). */
  public static Tensor unaryBackward(UnaryOp op, Tensor dy, Tensor x, double scalar) {
    String name = op.name().toLowerCase() + " backward";
    Checks.floatDType(name, "x", x);
    Checks.floatDType(name, "dy", dy);
    Checks.sameDType(name, "dy", dy, "x", x);
    Checks.sameDevice(name, "dy", dy, "x", x);
    Checks.shape(name, "dy", dy, x.shapeRef());
    Tensor dx = Tensor.empty(x.dtype(), x.device(), x.shapeRef());
    x.backend().unaryBackward(op, dx, dy, x, scalar);
    return dx;
  }

  public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
    String name = op.name().toLowerCase();
    Checks.floatDType(name, "a", a);
    Checks.floatDType(name, "b", b);
    Checks.sameDType(name, "a", a, "b", b);
    Checks.sameDevice(name, "a", a, "b", b);
    long[] shape = Shapes.broadcast(a.shapeRef(), b.shapeRef());
    Tensor out = Tensor.empty(a.dtype(), a.device(), shape);
    try (Tensor ea = a.expand(shape);
        Tensor eb = b.expand(shape)) {
      a.backend().binary(op, out, ea, eb);
    }
    return out;
  }

  public static Tensor add(Tensor a, Tensor b) {
    return binary(BinaryOp.ADD, a, b);
  }

  public static Tensor sub(Tensor a, Tensor b) {
    return binary(BinaryOp.SUB, a, b);
  }

  public static Tensor mul(Tensor a, Tensor b) {
    return binary(BinaryOp.MUL, a, b);
  }

  public static Tensor div(Tensor a, Tensor b) {
    return binary(BinaryOp.DIV, a, b);
  }

  public static Tensor maximum(Tensor a, Tensor b) {
    return binary(BinaryOp.MAXIMUM, a, b);
  }

  public static Tensor minimum(Tensor a, Tensor b) {
    return binary(BinaryOp.MINIMUM, a, b);
  }

  public static Tensor neg(Tensor x) {
    return unary(UnaryOp.NEG, x, 0);
  }

  public static Tensor exp(Tensor x) {
    return unary(UnaryOp.EXP, x, 0);
  }

  public static Tensor log(Tensor x) {
    return unary(UnaryOp.LOG, x, 0);
  }

  public static Tensor sigmoid(Tensor x) {
    return unary(UnaryOp.SIGMOID, x, 0);
  }

  public static Tensor silu(Tensor x) {
    return unary(UnaryOp.SILU, x, 0);
  }

  public static Tensor logSigmoid(Tensor x) {
    return unary(UnaryOp.LOGSIGMOID, x, 0);
  }

  public static Tensor softplus(Tensor x) {
    return unary(UnaryOp.SOFTPLUS, x, 0);
  }

  public static Tensor tanh(Tensor x) {
    return unary(UnaryOp.TANH, x, 0);
  }

  public static Tensor sqrt(Tensor x) {
    return unary(UnaryOp.SQRT, x, 0);
  }

  public static Tensor rsqrt(Tensor x) {
    return unary(UnaryOp.RSQRT, x, 0);
  }

  public static Tensor square(Tensor x) {
    return unary(UnaryOp.SQUARE, x, 0);
  }

  public static Tensor addScalar(Tensor x, double s) {
    return unary(UnaryOp.ADD_SCALAR, x, s);
  }

  public static Tensor mulScalar(Tensor x, double s) {
    return unary(UnaryOp.MUL_SCALAR, x, s);
  }

  public static Tensor pow(Tensor x, double s) {
    return unary(UnaryOp.POW_SCALAR, x, s);
  }

  // ---------------------------------------------------------------- differentiable (Var) forms

  /** op(x, scalar) recorded for backward (dx = dy * op'(x)). */
  public static Var unary(UnaryOp op, Var x, double scalar) {
    Tensor xv = x.value();
    return Tape.record(op.name().toLowerCase(), new Var[] {x}, unary(op, xv, scalar),
        (g, needs) -> new Tensor[] {unaryBackward(op, g[0], xv, scalar)});
  }

  public static Var neg(Var x) {
    return unary(UnaryOp.NEG, x, 0);
  }

  public static Var exp(Var x) {
    return unary(UnaryOp.EXP, x, 0);
  }

  public static Var sigmoid(Var x) {
    return unary(UnaryOp.SIGMOID, x, 0);
  }

  public static Var silu(Var x) {
    return unary(UnaryOp.SILU, x, 0);
  }

  public static Var logSigmoid(Var x) {
    return unary(UnaryOp.LOGSIGMOID, x, 0);
  }

  public static Var softplus(Var x) {
    return unary(UnaryOp.SOFTPLUS, x, 0);
  }

  public static Var mulScalar(Var x, double s) {
    return unary(UnaryOp.MUL_SCALAR, x, s);
  }

  public static Var addScalar(Var x, double s) {
    return unary(UnaryOp.ADD_SCALAR, x, s);
  }

  /** a + b with broadcasting. */
  public static Var add(Var a, Var b) {
    long[] sa = a.value().shape(), sb = b.value().shape();
    return Tape.record("add", new Var[] {a, b}, add(a.value(), b.value()),
        (g, needs) -> new Tensor[] {needs[0] ? GradUtil.sumTo(g[0], sa) : null, needs[1] ? GradUtil.sumTo(g[0], sb) : null});
  }

  /** a - b with broadcasting. */
  public static Var sub(Var a, Var b) {
    long[] sa = a.value().shape(), sb = b.value().shape();
    return Tape.record("sub", new Var[] {a, b}, sub(a.value(), b.value()), (g, needs) -> {
      Tensor db = null;
      if (needs[1]) {
        try (Tensor n = neg(g[0])) {
          db = GradUtil.sumTo(n, sb);
        }
      }
      return new Tensor[] {needs[0] ? GradUtil.sumTo(g[0], sa) : null, db};
    });
  }

  /** a * b with broadcasting. */
  public static Var mul(Var a, Var b) {
    Tensor av = a.value(), bv = b.value();
    return Tape.record("mul", new Var[] {a, b}, mul(av, bv), (g, needs) -> {
      Tensor da = null, db = null;
      if (needs[0]) {
        try (Tensor t = mul(g[0], bv)) {
          da = GradUtil.sumTo(t, av.shapeRef());
        }
      }
      if (needs[1]) {
        try (Tensor t = mul(g[0], av)) {
          db = GradUtil.sumTo(t, bv.shapeRef());
        }
      }
      return new Tensor[] {da, db};
    });
  }
}

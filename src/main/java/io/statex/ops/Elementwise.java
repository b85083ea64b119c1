package io.statex.ops;

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
}

package io.statex.backend;

/** Unary elementwise ops; ordinals are the C ABI's {@code statex_unary_op} codes. */
public enum UnaryOp {
  NEG,
  EXP,
  LOG,
  SIGMOID,
  SILU,
  LOGSIGMOID,
  SOFTPLUS,
  TANH,
  SQRT,
  RSQRT,
  ABS,
  RELU,
  SQUARE,
  RECIPROCAL,
  ADD_SCALAR,
  MUL_SCALAR,
  POW_SCALAR,
  RSUB_SCALAR,
  CLAMP_MIN,
  CLAMP_MAX;

  public int code() {
    return ordinal();
  }
}

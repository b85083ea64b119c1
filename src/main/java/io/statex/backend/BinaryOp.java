package io.statex.backend;

/** Binary elementwise ops; ordinals are the C ABI's {@code statex_binary_op} codes. */
public enum BinaryOp {
  ADD,
  SUB,
  MUL,
  DIV,
  MAXIMUM,
  MINIMUM;

  public int code() {
    return ordinal();
  }
}

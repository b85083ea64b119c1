package io.statex.backend;

/** Reductions along one axis; ordinals are the C ABI's {@code statex_reduce_op} codes. */
public enum ReduceOp {
  SUM,
  MEAN,
  MAX,
  MIN;

  public int code() {
    return ordinal();
  }
}

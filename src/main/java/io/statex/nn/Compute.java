package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.Shaping;
import io.statex.tensor.DType;

/**
 * How a forward pass computes: the activation dtype (F32; BF16 for mixed precision, where fp32
 * master weights are cast on use and the residual stream stays F32; F64 for gradient checks) and
 * whether each block is checkpointed (its activations recomputed in backward).
 */
public record Compute(DType dtype, boolean checkpoint) {
  public static Compute f32() {
    return new Compute(DType.F32, false);
  }

  /** The parameter as the compute dtype wants it (a recorded cast when it differs). */
  public Var weight(Parameter p) {
    return cast(p.var());
  }

  /** v in the compute dtype (a recorded cast when it differs). */
  public Var cast(Var v) {
    return v.dtype() == dtype ? v : Shaping.cast(v, dtype);
  }

  /** The dtype of the residual stream: never below F32. */
  public DType residual() {
    return dtype == DType.BF16 ? DType.F32 : dtype;
  }
}

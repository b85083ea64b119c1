package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.RmsNorm;

/** RMSNorm over the last axis with a learned weight (initialised to ones). */
public final class RMSNorm extends Module {
  private final Parameter weight;
  private final double eps;

  public RMSNorm(Init init, long dim, double eps) {
    this.weight = register("weight", new Parameter(init.ones(dim), "weight", false));
    this.eps = eps;
  }

  /** Normalises x in x's dtype (the weight is cast to it). */
  public Var forward(Var x) {
    Var w = weight.var().dtype() == x.dtype() ? weight.var() : io.statex.ops.Shaping.cast(weight.var(), x.dtype());
    return RmsNorm.apply(x, w, eps);
  }

  public Parameter weight() {
    return weight;
  }

  public double eps() {
    return eps;
  }
}

package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.MatMul;

/** y = x W^T (+ b), W [out, in] as torch.nn.Linear stores it. */
public final class Linear extends Module {
  private final Parameter weight;
  private final Parameter bias;

  public Linear(Init init, long in, long out, boolean bias) {
    this.weight = register("weight", Parameter.of(init.zeros(out, in), "weight"));
    this.bias = bias ? register("bias", Parameter.of(init.zeros(out), "bias")) : null;
  }

  public Var forward(Var x, Compute c) {
    return MatMul.linear(x, c.weight(weight), bias == null ? null : c.weight(bias));
  }

  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }
}

package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.SwiGlu;

/** fla's GatedMLP with swish: down_proj(silu(gate_proj(x)) * up_proj(x)), no biases. */
public final class GatedMLP extends Module {
  private final Linear gate, up, down;

  public GatedMLP(Init init, long hidden, long intermediate) {
    gate = register("gate_proj", new Linear(init, hidden, intermediate, false));
    up = register("up_proj", new Linear(init, hidden, intermediate, false));
    down = register("down_proj", new Linear(init, intermediate, hidden, false));
  }

  public Var forward(Var x, Compute c) {
    return down.forward(SwiGlu.apply(gate.forward(x, c), up.forward(x, c)), c);
  }
}

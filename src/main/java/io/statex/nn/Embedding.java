package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.tensor.Tensor;

/** A token embedding table [vocab, dim]. */
public final class Embedding extends Module {
  private final Parameter weight;

  public Embedding(Init init, long vocab, long dim) {
    this.weight = register("weight", Parameter.of(init.zeros(vocab, dim), "weight"));
  }

  /** Rows for token ids (I32/I64 tensor on the parameter's device). */
  public Var forward(Tensor ids, Compute c) {
    return io.statex.ops.Embedding.apply(c.weight(weight), ids);
  }

  public Parameter weight() {
    return weight;
  }
}

package io.statex.autograd;

import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;

/**
 * Activation checkpointing: a block's forward runs without recording and keeps only its outputs; its
 * backward runs the block again under a fresh tape and sends the gradients through. Memory for a
 * stack of checkpointed blocks is their inputs plus one block's activations, at the cost of a second
 * forward per block (what lets 64K-token contexts train on one GPU).
 *
 * <p>The block must compute the same values when run twice (no randomness, no state change).
 */
public final class Checkpoint {
  private Checkpoint() {}

  /** A block from its inputs to its outputs. */
  @FunctionalInterface
  public interface Block {
    Var[] apply(Var[] inputs);
  }

  /**
   * Runs the block checkpointed when recording (plainly otherwise). {@code params} are the leaves the
   * block uses: their gradients accumulate during the recompute, and listing them lets the tape's
   * gradient-ready hooks wait for it.
   */
  public static Var[] run(String name, Block block, Var[] inputs, List<Var> params) {
    Var[] all = concat(inputs, params);
    if (!Tape.recording(all)) {
      return block.apply(inputs);
    }
    Tensor[] outs;
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Var[] o = block.apply(inputs);
      outs = new Tensor[o.length];
      for (int i = 0; i < o.length; i++) {
        outs[i] = scope.keep(o[i].value());
      }
    }
    return Tape.record("checkpoint(" + name + ")", all, outs, (gout, needs) -> recompute(block, inputs, all, gout));
  }

  private static Tensor[] recompute(Block block, Var[] inputs, Var[] all, Tensor[] gout) {
    int saved = NoGrad.suspend();
    Var[] fresh = new Var[inputs.length];
    try (Tape inner = Tape.openRecompute()) {
      for (int i = 0; i < inputs.length; i++) {
        Var v = inputs[i];
        fresh[i] = v == null ? null : Var.leaf(v.value(), v.requiresGrad(), v.name());
      }
      Var[] outs = block.apply(fresh);
      List<Var> roots = new ArrayList<>();
      List<Tensor> seeds = new ArrayList<>();
      for (int i = 0; i < outs.length; i++) {
        if (outs[i].requiresGrad()) {
          roots.add(outs[i]);
          seeds.add(gout[i]);
        }
      }
      inner.backward(roots.toArray(new Var[0]), seeds.toArray(new Tensor[0]));
    } finally {
      NoGrad.restore(saved);
    }
    Tensor[] gin = new Tensor[all.length];
    for (int i = 0; i < inputs.length; i++) {
      gin[i] = fresh[i] == null ? null : fresh[i].grad;  // owned buffers: the enclosing tape closes them
    }
    return gin;  // the params' gradients are already in their leaves
  }

  private static Var[] concat(Var[] a, List<Var> b) {
    Var[] all = new Var[a.length + b.size()];
    System.arraycopy(a, 0, all, 0, a.length);
    for (int i = 0; i < b.size(); i++) {
      all[a.length + i] = b.get(i);
    }
    return all;
  }
}

package io.statex.nn;

import io.statex.autograd.Checkpoint;
import io.statex.autograd.Var;
import io.statex.ops.Elementwise;
import io.statex.tensor.Tensor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One pre-norm residual block: {@code x + mixer(norm(x))}, then, when the model has an MLP,
 * {@code x + mlp(mlp_norm(x))}. The residual stream is in {@link Compute#residual()} (F32 under mixed
 * precision, as mamba_ssm's residual_in_fp32); the mixer and MLP run in the compute dtype. Names:
 * GLA {@code attn_norm, attn, mlp_norm, mlp} (fla's GLABlock), Mamba2 {@code norm, mixer}
 * (mamba_ssm's Block).
 */
public final class Block extends Module {
  private final RMSNorm norm;
  private final GatedLinearAttention attn;
  private final Mamba2Mixer mixer;
  private final RMSNorm mlpNorm;
  private final GatedMLP mlp;

  public Block(Init init, ModelConfig model, LayerConfig layer) {
    long d = model.hidden();
    if (layer instanceof GlaLayerConfig gla) {
      norm = register("attn_norm", new RMSNorm(init, d, model.normEps()));
      attn = register("attn", new GatedLinearAttention(init, d, gla));
      mixer = null;
    } else {
      norm = register("norm", new RMSNorm(init, d, model.normEps()));
      mixer = register("mixer", new Mamba2Mixer(init, d, (Mamba2LayerConfig) layer));
      attn = null;
    }
    if (model.mlpIntermediate() > 0) {
      mlpNorm = register("mlp_norm", new RMSNorm(init, d, model.normEps()));
      mlp = register("mlp", new GatedMLP(init, d, model.mlpIntermediate()));
    } else {
      mlpNorm = null;
      mlp = null;
    }
  }

  /** The GLA mixer, or null. */
  public GatedLinearAttention attn() {
    return attn;
  }

  /** The Mamba2 mixer, or null. */
  public Mamba2Mixer mixer() {
    return mixer;
  }

  /** x [B,T,D] (residual dtype) to the block's output, checkpointed when c asks. */
  public Var forward(Var x, Compute c) {
    if (!c.checkpoint()) {
      return body(x, c);
    }
    List<Var> params = parameters().stream().map(Parameter::var).collect(Collectors.toList());
    return Checkpoint.run("block", in -> new Var[] {body(in[0], c)}, new Var[] {x}, params)[0];
  }

  private Var body(Var x, Compute c) {
    Var h = c.cast(norm.forward(x));
    h = attn != null ? attn.forward(h, c) : mixer.forward(h, c);
    x = Elementwise.add(x, toResidual(h, c));
    if (mlp != null) {
      Var m = mlp.forward(c.cast(mlpNorm.forward(x)), c);
      x = Elementwise.add(x, toResidual(m, c));
    }
    return x;
  }

  /**
   * One decoding step: x [N, D] (residual dtype); state holds this layer's recurrent tensors
   * ({@link #newState}), updated in place.
   */
  public Var step(Var x, Tensor[] state, Compute c) {
    Var h = c.cast(norm.forward(x));
    h = attn != null ? attn.step(h, state, c) : mixer.step(h, state[0], state[1], c);
    x = Elementwise.add(x, toResidual(h, c));
    if (mlp != null) {
      Var m = mlp.forward(c.cast(mlpNorm.forward(x)), c);
      x = Elementwise.add(x, toResidual(m, c));
    }
    return x;
  }

  /** This layer's decoding state for n sequences. */
  public Tensor[] newState(long n, Compute c, io.statex.tensor.Device device) {
    return attn != null ? attn.newState(n, c.dtype(), device) : mixer.newState(n, c.dtype(), device);
  }

  private static Var toResidual(Var h, Compute c) {
    return h.dtype() == c.residual() ? h : io.statex.ops.Shaping.cast(h, c.residual());
  }
}

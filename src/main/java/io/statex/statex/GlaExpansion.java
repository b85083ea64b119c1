package io.statex.statex;

import io.statex.nn.Block;
import io.statex.nn.Parameter;
import java.util.Map;

/**
 * One selected GLA block of the expanded model (research notes statex.md 1.2 and 1.5; the reference
 * is GLAModel.drop_layers and GatedLinearAttention in thunlp/StateX).
 *
 * <ul>
 *   <li>Both policies: attn_norm is reset to ones (the reference builds a fresh RMSNorm for every
 *       drop mode); mlp_norm and mlp are kept.
 *   <li>{@link InitPolicy#REINIT} (drop mode {@code gla}): the mixer is a new GatedLinearAttention.
 *       Every Linear weight (q, k, v, g, gk_proj.0, gk_proj.1, o) is Xavier-uniform with gain
 *       2^-2.5; gk_proj.1's bias is zero; the gate norm is ones; a short conv, when the layer has one,
 *       keeps torch's Conv1d default U(+-1/sqrt(W)) (the reference initialiser touches Linear only).
 *   <li>{@link InitPolicy#INHERIT} (drop mode {@code merge}, merge_head 'direct'): every projection
 *       and short conv is kept; the gate-norm weight, one vector of head_v_dim shared by the heads,
 *       becomes the old vector tiled heads / mergeInto times.
 * </ul>
 */
final class GlaExpansion {
  /** The reference's Xavier gain for a new GLA layer's Linear weights. */
  static final double XAVIER_GAIN = Math.pow(2, -2.5);

  private static final String ATTN = "attn.";
  private static final String GATE_NORM = "attn.g_norm_swish_gate.weight";

  private GlaExpansion() {}

  static void fill(Block from, Block to, InitPolicy policy, Draws draws) {
    Map<String, Parameter> src = from.namedParameters();
    to.namedParameters().forEach((name, p) -> {
      if (name.equals("attn_norm.weight")) {
        p.value().fill(1);
      } else if (!name.startsWith(ATTN)) {
        Copies.exact(p, src.get(name), name);
      } else if (policy == InitPolicy.REINIT) {
        reinit(name, p, draws);
      } else {
        inherit(name, p, src.get(name));
      }
    });
  }

  private static void reinit(String name, Parameter p, Draws draws) {
    int rank = p.value().ndim();
    if (name.equals(GATE_NORM)) {
      p.value().fill(1);
    } else if (name.endsWith(".bias")) {
      p.value().fill(0);
    } else if (rank == 2) {
      draws.xavierUniform(p, XAVIER_GAIN);
    } else if (rank == 3 && name.endsWith("_conv1d.weight")) {
      draws.torchDefault(p);
    } else {
      throw new IllegalStateException("expand: no reinit rule for GLA parameter " + name);
    }
  }

  private static void inherit(String name, Parameter p, Parameter old) {
    if (name.equals(GATE_NORM)) {
      Copies.tile(p.value(), old.value());
    } else {
      Copies.exact(p, old, name);
    }
  }
}

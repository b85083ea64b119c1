package io.statex.statex;

import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;

/**
 * Parameter counts from a config alone, without allocating the model: for reports on full-size
 * configs (GLA-1.3B, Mamba2-1.3B) and to check that a checkpoint file holds as many elements as its
 * config claims before the model is allocated. The layouts are those of io.statex.nn (tests compare
 * these counts with {@code LanguageModel.parameterCount()}). Every sum and product is exact, from
 * the configs' primitive fields, because a config read from a file may hold absurd sizes: an
 * overflow is an IllegalArgumentException, never a wrapped small number.
 */
public final class ParameterCounts {
  private ParameterCounts() {}

  /** Every parameter element of the model (a tied LM head counted once). */
  public static long model(ModelConfig c) {
    try {
      long d = c.hidden();
      long embeddings = mul(c.vocabSize(), d);
      long total = add(c.tieEmbeddings() ? embeddings : mul(2, embeddings), d);
      for (LayerConfig l : c.layers()) {
        total = add(total, block(c, l));
      }
      return total;
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("model config: the parameter count overflows a long");
    }
  }

  /** One block: its pre-norm, its mixer and, when the model has one, the MLP and its norm. */
  static long block(ModelConfig c, LayerConfig layer) {
    long d = c.hidden();
    long mlp = c.mlpIntermediate() > 0 ? add(d, mul(3, mul(d, c.mlpIntermediate()))) : 0;
    return add(d, mixer(d, layer), mlp);
  }

  /** One token mixer at hidden width d. */
  static long mixer(long d, LayerConfig layer) {
    if (layer instanceof GlaLayerConfig g) {
      long k = g.keyDim(), v = g.valueDim(), r = g.gateLowRank();
      long projections = mul(d, add(mul(2, k), mul(3, v), r));   // q, k, v, g, gk_proj.0, o
      long gate = add(mul(r, k), k);                              // gk_proj.1 with bias
      long conv = mul(g.convSize(), add(mul(2, k), v));           // q, k, v short convs
      return add(projections, gate, conv, v / g.heads());          // + the gate norm [V]
    }
    Mamba2LayerConfig m = (Mamba2LayerConfig) layer;
    long heads = m.dInner() / m.headDim();
    long bc = mul(2, mul(m.groups(), m.dState()));
    long in = mul(d, add(mul(2, m.dInner()), bc, heads));         // in_proj [z | x | B | C | dt]
    long conv = mul(add(m.dInner(), bc), m.convWidth() + 1L);     // conv1d weight and bias
    return add(in, conv, mul(3, heads), m.dInner(), mul(m.dInner(), d));  // dt_bias, A_log, D, norm, out_proj
  }

  private static long mul(long a, long b) {
    return Math.multiplyExact(a, b);
  }

  private static long add(long... xs) {
    long s = 0;
    for (long x : xs) {
      s = Math.addExact(s, x);
    }
    return s;
  }
}

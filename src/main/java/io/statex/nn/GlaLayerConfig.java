package io.statex.nn;

/**
 * A GLA layer as flash-linear-attention's GatedLinearAttention defines it: {@code heads} heads over
 * total key/value widths keyDim and valueDim (per head K = keyDim / heads, V = valueDim / heads), a
 * low-rank forget gate (rank gateLowRank, logsigmoid divided by gateNormalizer), the swish output
 * gate with a per-head RMSNorm (eps normEps), and optionally fla's short convolution (width convSize,
 * SiLU, no bias) on q, k and v; 0 = none. GLA-1.3B: 4 heads, 1024 / 2048, 16, 16, 1e-6, no short
 * conv; its StateX expansion merges the heads into one, keeping the widths.
 */
public record GlaLayerConfig(int heads, long keyDim, long valueDim, int gateLowRank, double gateNormalizer,
    double normEps, int convSize) implements LayerConfig {
  public GlaLayerConfig {
    if (heads < 1 || keyDim % heads != 0 || valueDim % heads != 0) {
      throw new IllegalArgumentException("GLA layer: heads (" + heads + ") must divide keyDim (" + keyDim
          + ") and valueDim (" + valueDim + ")");
    }
    if (convSize != 0 && (convSize < 2 || convSize > 4)) {
      throw new IllegalArgumentException("GLA layer: convSize must be 0 (no short conv) or 2..4, got " + convSize);
    }
    if (gateLowRank < 1 || !(gateNormalizer > 0) || !(normEps > 0)) {
      throw new IllegalArgumentException("GLA layer: gateLowRank, gateNormalizer and normEps must be positive");
    }
  }

  /** A layer without the short convolution (fla's default, GLA-1.3B). */
  public GlaLayerConfig(int heads, long keyDim, long valueDim, int gateLowRank, double gateNormalizer, double normEps) {
    this(heads, keyDim, valueDim, gateLowRank, gateNormalizer, normEps, 0);
  }

  /** fla's layer for hidden size d without the short convolution. */
  public static GlaLayerConfig standard(long hidden, int heads, double normEps) {
    return standard(hidden, heads, normEps, 0);
  }

  /** The layer fla builds for hidden size d: expand_k 0.5, expand_v 1, rank 16, normaliser 16. */
  public static GlaLayerConfig standard(long hidden, int heads, double normEps, int convSize) {
    return new GlaLayerConfig(heads, hidden / 2, hidden, 16, 16, normEps, convSize);
  }

  public long headK() {
    return keyDim / heads;
  }

  public long headV() {
    return valueDim / heads;
  }

  /** This layer with its heads merged into {@code into} heads (StateX): the state grows heads/into times. */
  public GlaLayerConfig mergeHeads(int into) {
    return new GlaLayerConfig(into, keyDim, valueDim, gateLowRank, gateNormalizer, normEps, convSize);
  }

  @Override
  public long stateSize() {
    return heads * headK() * headV();
  }
}

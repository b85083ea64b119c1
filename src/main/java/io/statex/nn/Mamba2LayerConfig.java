package io.statex.nn;

/**
 * A Mamba2 mixer as mamba_ssm's Mamba2 defines it: d_inner = expand x d_model split into
 * heads = dInner / headDim heads of headDim channels, {@code groups} groups of B and C of width
 * dState, a depthwise causal conv of convWidth over x, B and C, chunk size for the SSD scan, and the
 * initialisation ranges of dt and A. Mamba2-1.3B: d_inner 4096, headdim 64, d_state 128, 1 group,
 * conv 4, chunk 256; its StateX expansion multiplies d_state by 4.
 */
public record Mamba2LayerConfig(long dInner, long headDim, long dState, int groups, int convWidth, int chunkSize,
    double dtMin, double dtMax, double dtInitFloor, double aMin, double aMax, double normEps) implements LayerConfig {
  public Mamba2LayerConfig {
    if (headDim < 1 || dInner % headDim != 0) {
      throw new IllegalArgumentException("Mamba2 layer: headDim (" + headDim + ") must divide dInner (" + dInner + ")");
    }
    if (groups < 1 || (dInner / headDim) % groups != 0) {
      throw new IllegalArgumentException("Mamba2 layer: groups (" + groups + ") must divide the head count " + dInner / headDim);
    }
    if (dState < 1 || convWidth < 2 || convWidth > 4) {
      throw new IllegalArgumentException("Mamba2 layer: dState must be >= 1 and convWidth in 2..4, got " + dState + ", " + convWidth);
    }
  }

  /** mamba_ssm's defaults for d_model: expand 2, headdim 64, d_state 128, 1 group, conv 4, chunk 256. */
  public static Mamba2LayerConfig standard(long dModel, long headDim, long dState) {
    return new Mamba2LayerConfig(2 * dModel, headDim, dState, 1, 4, 256, 0.001, 0.1, 1e-4, 1, 16, 1e-5);
  }

  public long heads() {
    return dInner / headDim;
  }

  /** in_proj's output width: z, x, B, C, dt. */
  public long inProjWidth() {
    return 2 * dInner + 2L * groups * dState + heads();
  }

  /** Channels of the conv: x, B and C. */
  public long convChannels() {
    return dInner + 2L * groups * dState;
  }

  /** This layer with d_state multiplied (StateX). */
  public Mamba2LayerConfig expandState(int factor) {
    return new Mamba2LayerConfig(dInner, headDim, dState * factor, groups, convWidth, chunkSize, dtMin, dtMax,
        dtInitFloor, aMin, aMax, normEps);
  }

  @Override
  public long stateSize() {
    return heads() * headDim * dState;
  }
}

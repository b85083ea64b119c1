package io.statex.ops;

/**
 * FLOP and byte counts of the Mamba2 SSD chunked scan for rooflines (research/kernels.md F.2, docs/kernels/ssd_chunk.md).
 * Dimension letters: batch B, tokens per row T (all tokens B*T for packed batches with B = 1), heads H, head dim P,
 * state N, groups G, chunk Q; one multiply-add is 2 FLOPs; {@code s} is bytes per x/B/C/y element, {@code sDt} per
 * dt element; {@code S} the number of sequences (initial/final states are fp32 [S, H, P, N]).
 */
public final class SsdCost {
  private SsdCost() {}

  /** Forward, algorithmic minimum: chunk states 2HPN, inter output 2HPN, causal CB ~GQN, causal (CB*L)X ~HQP per token. */
  public static double forwardFlopsMin(long b, long t, long h, long p, long n, long g, long q) {
    return (double) b * t * (4.0 * h * p * n + (double) g * q * n + (double) h * q * p);
  }

  /**
   * Forward as this engine computes it: the causal products run over whole 64 x 64 tiles up to the diagonal, so CB
   * costs G N (Q + 64) and the intra scan H P (Q + 64) per token.
   */
  public static double forwardFlops(long b, long t, long h, long p, long n, long g, long q) {
    return (double) b * t * (4.0 * h * p * n + (double) (g * n + h * p) * (q + 64));
  }

  /**
   * Backward as this engine computes it, including the recompute of CB and the chunk states: recompute 2HPN +
   * GN(Q+64); dstate 2HPN; dx 4HPN (its state term, and the inter output again for the per-head decay gradient) +
   * HP(Q+64); dCB HP(Q+64); dB/dC state parts 4HPN and intra parts 2GN(Q+64).
   */
  public static double backwardFlops(long b, long t, long h, long p, long n, long g, long q) {
    return (double) b * t * (12.0 * h * p * n + 2.0 * h * p * (q + 64) + 3.0 * g * n * (q + 64));
  }

  /** Forward minimum HBM traffic: read x, B, C, dt; write y; fp32 initial/final states when used. */
  public static double forwardBytesMin(long b, long t, long h, long p, long n, long g, int s, int sDt, long seqs,
      boolean initialState, boolean finalState) {
    double states = 4.0 * seqs * h * p * n * ((initialState ? 1 : 0) + (finalState ? 1 : 0));
    return (double) b * t * (s * (2.0 * h * p + 2.0 * g * n) + (double) sDt * h) + states;
  }

  /** Backward minimum HBM traffic: read x, B, C, dt, dy; write dx, dB, dC, ddt; fp32 state gradients when used. */
  public static double backwardBytesMin(long b, long t, long h, long p, long n, long g, int s, int sDt, long seqs,
      boolean initialState, boolean finalState) {
    double states = 4.0 * seqs * h * p * n * (2 * (initialState ? 1 : 0) + (finalState ? 1 : 0));
    return (double) b * t * (s * (4.0 * h * p + 4.0 * g * n) + 2.0 * sDt * h) + states;
  }

  /**
   * Materialised fp32 inter-chunk state traffic of this engine's pipeline, the term that grows with the expanded
   * state: forward 12 bytes per state element and chunk (chunk state write, state passing read + write, scan read),
   * backward about 36 (recompute 12, dstate write, reverse pass read + write 8, four readers of 4: dx and dbc each
   * read the entering states and their gradients).
   */
  public static double stateBytes(long b, long t, long h, long p, long n, long q, boolean backward) {
    double chunks = Math.ceil((double) t / q) * b;
    return (backward ? 36.0 : 12.0) * chunks * h * p * n;
  }
}

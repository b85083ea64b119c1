package io.statex.ops;

/**
 * FLOP and byte counts of chunked gated linear attention, for rooflines (chunk C = 64, sub-block
 * c = 16; a multiply-add is 2 FLOPs; per call). The formulas are those of the kernel write-up
 * (docs/kernels/gla_chunk.md); s is the bytes per element of q, k, v, o (2 for BF16, 4 for F32)
 * and sg that of g. States are fp32 and counted once each way when present.
 */
public final class GlaCost {
  public static final int CHUNK = 64;
  public static final int SUB = 16;

  private GlaCost() {}

  /**
   * Forward, algorithmic minimum: B T H [4KV + (C+1)(K+V)] (state build 2KV, inter-chunk output
   * 2KV, intra-chunk scores and their product with v, causal halves counted once).
   */
  public static double forwardFlops(long B, long T, long H, long K, long V) {
    return (double) B * T * H * (4.0 * K * V + (CHUNK + 1.0) * (K + V));
  }

  /**
   * Backward as computed, states recomputed: B T H [10KV + 2CV + 2K(C - c)] in products (state
   * recompute, gradient scan, dv, dq and dk against the states, the score products) plus
   * B T H [2CV + 4Kc] on the diagonal sub-blocks.
   */
  public static double backwardFlops(long B, long T, long H, long K, long V) {
    double products = 10.0 * K * V + 2.0 * CHUNK * V + 2.0 * K * (CHUNK - SUB);
    double diagonal = 2.0 * CHUNK * V + 4.0 * K * SUB;
    return (double) B * T * H * (products + diagonal);
  }

  /** Forward minimum bytes: read q, k, v, g (and h0), write o (and hT). N is the number of sequences. */
  public static double forwardMinBytes(long B, long T, long H, long K, long V, long N, int s, int sg, boolean h0,
      boolean hT) {
    double tokens = (double) B * T * H * (s * (2.0 * K + 2.0 * V) + sg * (double) K);
    return tokens + states(N, H, K, V) * ((h0 ? 1 : 0) + (hT ? 1 : 0));
  }

  /**
   * Backward minimum bytes: read q, k, v, g, dO (and h0, dhT), write dq, dk, dv, dg and dh0.
   */
  public static double backwardMinBytes(long B, long T, long H, long K, long V, long N, int s, int sg, boolean h0,
      boolean dhT) {
    double tokens = (double) B * T * H * (s * (4.0 * K + 3.0 * V) + 2.0 * sg * K);
    return tokens + states(N, H, K, V) * (1 + (h0 ? 1 : 0) + (dhT ? 1 : 0));
  }

  private static double states(long N, long H, long K, long V) {
    return 4.0 * N * H * K * V;
  }
}

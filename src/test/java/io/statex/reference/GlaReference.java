package io.statex.reference;

import java.util.stream.IntStream;

/**
 * Gated linear attention in float64, token by token: S_t = diag(e^{g_t}) S_{t-1} + k_t v_t^T,
 * o_t = scale S_t^T q_t, per sequence and head. The backward is reverse mode written out by hand;
 * states are recomputed segment by segment from checkpoints. Layouts as in {@code statex/gla.h}.
 */
public final class GlaReference {
  private GlaReference() {}
  /** Sizes; {@code cu} (packed sequence offsets, B = 1) or null for B dense sequences of T tokens. */
  public record Dims(int B, int T, int H, int K, int V, long[] cu) {
    public int N() { return cu == null ? B : cu.length - 1; }
    int bos(int n) { return cu == null ? n * T : (int) cu[n]; }
    int len(int n) { return cu == null ? T : (int) (cu[n + 1] - cu[n]); }
  }

  public record Outputs(double[] o, double[] hT) {}
  public record Grads(double[] dq, double[] dk, double[] dv, double[] dg, double[] dh0) {}

  public static Outputs forward(Dims d, double scale, double[] q, double[] k, double[] v, double[] g, double[] h0) {
    double[] o = new double[d.B * d.T * d.H * d.V], hT = new double[d.N() * d.H * d.K * d.V];
    forEachSequenceHead(d, (n, h) -> {
      double[] S = initial(d, h0, n, h);
      for (int tok = d.bos(n); tok < d.bos(n) + d.len(n); tok++) {
        step(d, S, k, v, g, tok, h);
        int tk = (tok * d.H + h) * d.K, tv = (tok * d.H + h) * d.V;
        for (int i = 0; i < d.K; i++)
          for (int j = 0; j < d.V; j++) o[tv + j] += scale * S[i * d.V + j] * q[tk + i];
      }
      System.arraycopy(S, 0, hT, (n * d.H + h) * d.K * d.V, d.K * d.V);
    });
    return new Outputs(o, hT);
  }

  /** Gradients of sum(o * dO) + sum(hT * dhT); h0 and dhT may be null (zero). */
  public static Grads backward(Dims d, double scale, double[] q, double[] k, double[] v, double[] g, double[] h0,
      double[] dO, double[] dhT) {
    int K = d.K, V = d.V, H = d.H, seg = Math.max(1, Math.min(64, (1 << 24) / (K * V))); // states kept per segment
    double[] dq = new double[q.length], dk = new double[k.length], dv = new double[v.length], dg = new double[g.length];
    double[] dh0 = new double[d.N() * H * K * V];
    forEachSequenceHead(d, (n, h) -> {
      int bos = d.bos(n), len = d.len(n), nseg = (len + seg - 1) / seg;
      double[][] checkpoint = new double[nseg + 1][];
      double[] S = initial(d, h0, n, h);
      for (int t = 0; t < len; t++) {
        if (t % seg == 0) checkpoint[t / seg] = S.clone();
        step(d, S, k, v, g, bos + t, h);
      }
      double[] dS = initial(d, dhT, n, h);
      for (int s = nseg - 1; s >= 0; s--) {
        int t0 = s * seg, t1 = Math.min(len, t0 + seg);
        double[][] states = new double[t1 - t0 + 1][]; // states[i] = S before token t0 + i
        states[0] = checkpoint[s];
        for (int t = t0; t < t1; t++) {
          states[t - t0 + 1] = states[t - t0].clone();
          step(d, states[t - t0 + 1], k, v, g, bos + t, h);
        }
        for (int t = t1 - 1; t >= t0; t--) {
          int tk = ((bos + t) * H + h) * K, tv = ((bos + t) * H + h) * V;
          double[] St = states[t - t0 + 1], Sprev = states[t - t0];
          for (int i = 0; i < K; i++) {
            double a = Math.exp(g[tk + i]);
            for (int j = 0; j < V; j++) {
              dS[i * V + j] += scale * q[tk + i] * dO[tv + j]; // o_t = scale S_t^T q_t
              dq[tk + i] += scale * St[i * V + j] * dO[tv + j];
              dk[tk + i] += dS[i * V + j] * v[tv + j];
              dv[tv + j] += dS[i * V + j] * k[tk + i];
              dg[tk + i] += a * Sprev[i * V + j] * dS[i * V + j];
              dS[i * V + j] *= a; // gradient of S_{t-1}
            }
          }
        }
      }
      System.arraycopy(dS, 0, dh0, (n * H + h) * K * V, K * V);
    });
    return new Grads(dq, dk, dv, dg, dh0);
  }

  /** S <- diag(e^{g_tok}) S + k_tok v_tok^T for head h. */
  public static void step(Dims d, double[] S, double[] k, double[] v, double[] g, int tok, int h) {
    int tk = (tok * d.H + h) * d.K, tv = (tok * d.H + h) * d.V;
    for (int i = 0; i < d.K; i++) {
      double a = Math.exp(g[tk + i]);
      for (int j = 0; j < d.V; j++) S[i * d.V + j] = a * S[i * d.V + j] + k[tk + i] * v[tv + j];
    }
  }

  private static double[] initial(Dims d, double[] states, int n, int h) {
    double[] S = new double[d.K * d.V];
    if (states != null) System.arraycopy(states, (n * d.H + h) * S.length, S, 0, S.length);
    return S;
  }

  private static void forEachSequenceHead(Dims d, java.util.function.BiConsumer<Integer, Integer> body) {
    IntStream.range(0, d.N() * d.H).parallel().forEach(i -> body.accept(i / d.H, i % d.H));
  }
}

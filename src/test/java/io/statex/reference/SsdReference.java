package io.statex.reference;

/**
 * Float64 token-by-token Mamba2 SSD recurrence and its reverse-mode gradient, written by hand. Per head h, group
 * g = h / (H/G): delta = clamp(softplus?(dt + bias)), s = exp(delta A) s + delta x B^T, y = s C + D x. Layouts as in
 * statex/ssd.h, flattened row-major; a sequence is a [begin, end) range of the flat token axis.
 */
public final class SsdReference {
  /** Inputs; dtBias, D, init may be null. seq holds S + 1 token offsets (batch rows or cu_seqlens). */
  public record Problem(int H, int P, int N, int G, long[] seq, double[] x, double[] dt, double[] dtBias, double[] A,
      double[] B, double[] C, double[] D, double[] init, boolean softplus, double dtMin, double dtMax) {}

  /**
   * y [tokens,H,P], fin [S,H,P,N]; gradients in the layouts of their inputs. The per-head parameter gradients dA, dD,
   * dBias are long sums of mixed-sign products; dAMag, dDMag, dBiasMag [H] are the same sums taken over the absolute
   * value of every elementary product, the scale against which a rounded sum's error is measured
   * ({@code Compare.assertSumClose}).
   */
  public record Result(double[] y, double[] fin, double[] dx, double[] ddt, double[] dA, double[] dB, double[] dC,
      double[] dD, double[] dBias, double[] dInit, double[] dAMag, double[] dDMag, double[] dBiasMag) {}

  private SsdReference() {}

  /** Forward, and the backward for cotangents dy and dFin (dFin may be null = 0; dy null = forward only). */
  public static Result run(Problem q, double[] dy, double[] dFin) {
    int H = q.H, P = q.P, N = q.N, G = q.G, S = q.seq.length - 1, tokens = (int) q.seq[S];
    double[] y = new double[tokens * H * P], fin = new double[S * H * P * N], dx = new double[y.length];
    double[] ddt = new double[tokens * H], dA = new double[H], dD = new double[H], dBias = new double[H];
    double[] dAMag = new double[H], dDMag = new double[H], dBiasMag = new double[H];
    double[] dB = new double[tokens * G * N], dC = new double[dB.length], dInit = new double[fin.length];
    for (int s = 0; s < S; s++) {
      for (int h = 0; h < H; h++) {
        int g = h / (H / G), t0 = (int) q.seq[s], L = (int) q.seq[s + 1] - t0, sh = (s * H + h) * P * N;
        double[][] st = new double[L + 1][P * N];  // st[i] = state after i tokens
        double[] delta = new double[L], grad = new double[L], a = new double[L];
        if (q.init != null) System.arraycopy(q.init, sh, st[0], 0, P * N);
        for (int i = 0; i < L; i++) {
          int tok = t0 + i;
          double v = q.dt[tok * H + h] + (q.dtBias == null ? 0 : q.dtBias[h]);
          double d = q.softplus ? Math.log1p(Math.exp(v)) : v, gr = q.softplus ? 1 / (1 + Math.exp(-v)) : 1;
          if (d < q.dtMin || d > q.dtMax) {
            d = Math.min(Math.max(d, q.dtMin), q.dtMax);
            gr = 0;
          }
          delta[i] = d;
          grad[i] = gr;
          a[i] = Math.exp(d * q.A[h]);
          for (int p = 0; p < P; p++) {
            double acc = 0;
            for (int n = 0; n < N; n++) {
              double v2 = a[i] * st[i][p * N + n] + d * x(q, tok, h, p) * q.B[(tok * G + g) * N + n];
              st[i + 1][p * N + n] = v2;
              acc += v2 * q.C[(tok * G + g) * N + n];
            }
            y[(tok * H + h) * P + p] = acc + (q.D == null ? 0 : q.D[h]) * x(q, tok, h, p);
          }
        }
        System.arraycopy(st[L], 0, fin, sh, P * N);
        if (dy == null) continue;
        double[] lam = new double[P * N];
        if (dFin != null) System.arraycopy(dFin, sh, lam, 0, P * N);
        for (int i = L - 1; i >= 0; i--) {
          int tok = t0 + i, bg = (tok * G + g) * N;
          double dDelta = 0, dLogA = 0, dDeltaMag = 0, dLogAMag = 0;
          for (int p = 0; p < P; p++) {
            double dyp = dy[(tok * H + h) * P + p], xp = x(q, tok, h, p);
            dD[h] += dyp * xp;
            dDMag[h] += Math.abs(dyp * xp);
            dx[(tok * H + h) * P + p] += (q.D == null ? 0 : q.D[h]) * dyp;
            for (int n = 0; n < N; n++) {
              int k = p * N + n;
              lam[k] += dyp * q.C[bg + n];                       // y_t = s_t C_t
              dC[bg + n] += st[i + 1][k] * dyp;
              dx[(tok * H + h) * P + p] += delta[i] * lam[k] * q.B[bg + n];  // s_t = a s_{t-1} + delta x B^T
              dB[bg + n] += delta[i] * lam[k] * xp;
              dDelta += lam[k] * xp * q.B[bg + n];
              dLogA += lam[k] * a[i] * st[i][k];
              dDeltaMag += Math.abs(lam[k] * xp * q.B[bg + n]);
              dLogAMag += Math.abs(lam[k] * a[i] * st[i][k]);
              lam[k] *= a[i];
            }
          }
          dDelta += dLogA * q.A[h];
          dA[h] += dLogA * delta[i];
          ddt[tok * H + h] = dDelta * grad[i];
          dBias[h] += dDelta * grad[i];
          dAMag[h] += dLogAMag * delta[i];
          dBiasMag[h] += (dDeltaMag + dLogAMag * Math.abs(q.A[h])) * grad[i];
        }
        System.arraycopy(lam, 0, dInit, sh, P * N);
      }
    }
    return new Result(y, fin, dx, ddt, dA, dB, dC, dD, dBias, dInit, dAMag, dDMag, dBiasMag);
  }

  private static double x(Problem q, int tok, int h, int p) {
    return q.x[(tok * q.H + h) * q.P + p];
  }
}

package io.statex.reference;

/**
 * Float64 depthwise causal conv1d, forward and backward by hand: pre[t,c] = bias[c] + sum_k w[c,k] x[t-(W-1)+k, c]
 * over taps inside the token's sequence, out = silu(pre) or pre. x [tokens, Ch], w [Ch, W]; seq holds S + 1 token
 * offsets (batch rows or cu_seqlens).
 */
public final class Conv1dReference {
  /** out [tokens, Ch], fin [S, W-1, Ch] (last W-1 inputs per sequence), gradients like their inputs. */
  public record Result(double[] out, double[] fin, double[] dx, double[] dw, double[] dbias) {}

  private Conv1dReference() {}

  public static Result run(long[] seq, int ch, int width, double[] x, double[] w, double[] bias, boolean silu,
      double[] dout) {
    int S = seq.length - 1, tokens = (int) seq[S];
    double[] out = new double[tokens * ch], fin = new double[S * (width - 1) * ch], dx = new double[out.length];
    double[] dw = new double[ch * width], db = new double[ch];
    for (int s = 0; s < S; s++) {
      int t0 = (int) seq[s], t1 = (int) seq[s + 1];
      for (int c = 0; c < ch; c++) {
        for (int k = 0; k < width - 1; k++) {
          int src = t1 - (width - 1) + k;
          fin[(s * (width - 1) + k) * ch + c] = src >= t0 ? x[src * ch + c] : 0;
        }
        for (int t = t0; t < t1; t++) {
          double pre = bias == null ? 0 : bias[c];
          for (int k = 0; k < width; k++) {
            int src = t - (width - 1) + k;
            if (src >= t0) pre += w[c * width + k] * x[src * ch + c];
          }
          double sg = 1 / (1 + Math.exp(-pre));
          out[t * ch + c] = silu ? pre * sg : pre;
          if (dout == null) continue;
          double g = dout[t * ch + c] * (silu ? sg * (1 + pre * (1 - sg)) : 1);
          db[c] += g;
          for (int k = 0; k < width; k++) {
            int src = t - (width - 1) + k;
            if (src >= t0) {
              dw[c * width + k] += g * x[src * ch + c];
              dx[src * ch + c] += g * w[c * width + k];
            }
          }
        }
      }
    }
    return new Result(out, fin, dx, dw, bias == null ? null : db);
  }
}

package io.statex.reference;

/**
 * Float64 oracle of a reduction along one axis: out[o, i] = reduce_k in[o, k, i] over in [outer, n,
 * inner]. MAX/MIN report the first index of the extreme; a NaN beats every number (the first NaN wins).
 */
public final class ReduceReference {
  private ReduceReference() {}

  public record Result(double[] values, long[] argmax) {}

  /** op: 0 SUM, 1 MEAN, 2 MAX, 3 MIN (the C ABI codes); argmax is meaningful for MAX and MIN. */
  public static Result reduce(int op, double[] in, int outer, int n, int inner) {
    double[] values = new double[outer * inner];
    long[] argmax = new long[outer * inner];
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double best = in[(o * n) * inner + i];
        long at = 0;
        double sum = 0;
        for (int k = 0; k < n; k++) {
          double v = in[(o * n + k) * inner + i];
          sum += v;
          if (better(op, v, best)) {
            best = v;
            at = k;
          }
        }
        int out = o * inner + i;
        values[out] = op == 0 ? sum : op == 1 ? sum / n : best;
        argmax[out] = at;
      }
    }
    return new Result(values, argmax);
  }

  // Strictly better, so that the first index of an extreme (or of the first NaN) is kept.
  private static boolean better(int op, double v, double best) {
    if (Double.isNaN(best)) {
      return false;
    }
    if (Double.isNaN(v)) {
      return true;
    }
    return op == 2 ? v > best : v < best;
  }
}

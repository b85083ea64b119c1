package io.statex.reference;

/**
 * Float64 oracle of the RMSNorm backward over rows of n (the forward is {@link BaseOpsReference#rmsNorm}),
 * with rstd taken as given (the forward's stored value), as the kernels do:
 *   dx_j = rstd w_j dy_j - x_j rstd^3 / n sum_k w_k dy_k x_k     (d rstd / d x_j = -rstd^3 x_j / n)
 *   dw_j = sum over rows of dy_j x_j rstd                          (w = ones when null)
 * ReferenceGradientTest checks it against central differences of the forward.
 */
public final class RmsNormReference {
  private RmsNormReference() {}

  public record Backward(double[] dx, double[] dw) {}

  public static Backward backward(double[] dy, double[] x, double[] w, double[] rstd, int rows, int n) {
    double[] dx = new double[rows * n];
    double[] dw = new double[n];
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      for (int k = 0; k < n; k++) {
        dot += weight(w, k) * dy[r * n + k] * x[r * n + k];
      }
      double s = rstd[r];
      for (int j = 0; j < n; j++) {
        int at = r * n + j;
        dx[at] = s * weight(w, j) * dy[at] - x[at] * s * s * s / n * dot;
        dw[j] += dy[at] * x[at] * s;
      }
    }
    return new Backward(dx, dw);
  }

  private static double weight(double[] w, int j) {
    return w == null ? 1 : w[j];
  }
}

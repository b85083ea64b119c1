package io.statex.reference;

/**
 * Float64 oracle of RMSNorm over rows of n and its backward:
 *   rstd = 1 / sqrt(mean_j x_j^2 + eps),  y_j = x_j rstd w_j                  (w = ones when null)
 *   dx_j = rstd w_j dy_j - x_j rstd^3 / n sum_k w_k dy_k x_k     (d rstd / d x_j = -rstd^3 x_j / n)
 *   dw_j = sum over rows of dy_j x_j rstd
 * The backward takes rstd as given (the forward's stored value), as the kernels do.
 */
public final class RmsNormReference {
  private RmsNormReference() {}

  public record Forward(double[] y, double[] rstd) {}

  public record Backward(double[] dx, double[] dw) {}

  public static Forward forward(double[] x, double[] w, int rows, int n, double eps) {
    double[] y = new double[rows * n];
    double[] rstd = new double[rows];
    for (int r = 0; r < rows; r++) {
      double squares = 0;
      for (int j = 0; j < n; j++) {
        squares += x[r * n + j] * x[r * n + j];
      }
      rstd[r] = 1 / Math.sqrt(squares / n + eps);
      for (int j = 0; j < n; j++) {
        y[r * n + j] = x[r * n + j] * rstd[r] * weight(w, j);
      }
    }
    return new Forward(y, rstd);
  }

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

package io.statex.reference;

/**
 * Float64 oracle of softmax / log_softmax over rows of n, and of their backward given the forward
 * output y and the cotangent dy, written from the definitions:
 *   softmax y_j = exp(x_j) / sum_k exp(x_k)        log_softmax y_j = x_j - log sum_k exp(x_k)
 *   softmax dx_j = sum_k dy_k (d y_k / d x_j) = y_j (dy_j - sum_k dy_k y_k)
 *   log     dx_j = dy_j - softmax(x)_j sum_k dy_k, with softmax(x) = exp(y)
 * The row max is subtracted before exp only to keep exp finite; it cancels in the math.
 */
public final class SoftmaxReference {
  private SoftmaxReference() {}

  public static double[] forward(double[] x, int rows, int n, boolean log) {
    double[] y = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        max = Math.max(max, x[r * n + j]);
      }
      double sum = 0;
      for (int j = 0; j < n; j++) {
        sum += Math.exp(x[r * n + j] - max);
      }
      for (int j = 0; j < n; j++) {
        double z = x[r * n + j] - max;
        y[r * n + j] = log ? z - Math.log(sum) : Math.exp(z) / sum;
      }
    }
    return y;
  }

  public static double[] backward(double[] y, double[] dy, int rows, int n, boolean log) {
    double[] dx = new double[rows * n];
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      for (int k = 0; k < n; k++) {
        dot += log ? dy[r * n + k] : dy[r * n + k] * y[r * n + k];
      }
      for (int j = 0; j < n; j++) {
        int at = r * n + j;
        dx[at] = log ? dy[at] - Math.exp(y[at]) * dot : y[at] * (dy[at] - dot);
      }
    }
    return dx;
  }
}

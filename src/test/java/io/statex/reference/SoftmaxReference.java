package io.statex.reference;

/**
 * Float64 oracle of the softmax / log_softmax backward over rows of n, given the forward output y and
 * the cotangent dy (the forward is {@link BaseOpsReference#softmax}), written from the derivatives:
 *   softmax dx_j = sum_k dy_k (d y_k / d x_j) = y_j (dy_j - sum_k dy_k y_k)
 *   log     dx_j = dy_j - softmax(x)_j sum_k dy_k, with softmax(x) = exp(y)
 * ReferenceGradientTest checks it against central differences of the forward.
 */
public final class SoftmaxReference {
  private SoftmaxReference() {}

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

package io.statex.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The backward oracles agree with central differences of the forward oracles (all in float64): for a
 * random cotangent dy, d/dx_j sum(dy * f(x)) must equal the backward's dx_j. This keeps the references
 * honest independently of any kernel.
 */
class ReferenceGradientTest {
  private static final double H = 1e-5;
  private static final double BOUND = 1e-7;
  private static final long SEED = Long.getLong("statex.test.seed", System.nanoTime());
  private final SplittableRandom rng = new SplittableRandom(SEED);

  @Test
  void softmaxBackwardIsTheGradientOfForward() {
    int rows = 3;
    int n = 7;
    for (boolean log : new boolean[] {false, true}) {
      double[] x = draw(rows * n);
      double[] dy = draw(rows * n);
      double[] y = SoftmaxReference.forward(x, rows, n, log);
      double[] dx = SoftmaxReference.backward(y, dy, rows, n, log);
      assertGradient("softmax log=" + log, dx, x, v -> dot(dy, SoftmaxReference.forward(v, rows, n, log)));
    }
  }

  @Test
  void rmsNormBackwardIsTheGradientOfForward() {
    int rows = 4;
    int n = 5;
    double eps = 1e-3;
    double[] x = draw(rows * n);
    double[] w = draw(n);
    double[] dy = draw(rows * n);
    double[] rstd = RmsNormReference.forward(x, w, rows, n, eps).rstd();
    RmsNormReference.Backward b = RmsNormReference.backward(dy, x, w, rstd, rows, n);
    assertGradient("rmsnorm dx", b.dx(), x, v -> dot(dy, RmsNormReference.forward(v, w, rows, n, eps).y()));
    assertGradient("rmsnorm dw", b.dw(), w, v -> dot(dy, RmsNormReference.forward(x, v, rows, n, eps).y()));
  }

  @Test
  void embeddingBackwardIsTheGradientOfForward() {
    int dim = 3;
    long[] idx = {2, 0, 2, 4, 2};
    double[] table = draw(5 * dim);
    double[] dout = draw(idx.length * dim);
    double[] dtable = EmbeddingReference.backward(new double[table.length], dout, idx, dim);
    assertGradient("embedding dtable", dtable, table, v -> dot(dout, EmbeddingReference.forward(v, idx, dim)));
  }

  private static void assertGradient(String what, double[] analytic, double[] at, Function<double[], Double> loss) {
    for (int j = 0; j < at.length; j++) {
      double[] plus = at.clone();
      double[] minus = at.clone();
      plus[j] += H;
      minus[j] -= H;
      double numeric = (loss.apply(plus) - loss.apply(minus)) / (2 * H);
      double err = Math.abs(numeric - analytic[j]) / Math.max(1, Math.abs(numeric));
      int index = j;
      assertTrue(err <= BOUND, () -> what + ": d/dx[" + index + "] analytic " + analytic[index] + " vs central difference " + numeric
          + " (replay with -Dstatex.test.seed=" + SEED + ")");
    }
  }

  private double[] draw(int count) {
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = rng.nextDouble(-2, 2);
    }
    return v;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}

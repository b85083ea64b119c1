package io.statex.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
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
  private final SplittableRandom rng = new SplittableRandom(Seeds.fresh("reference gradients"));

  @Test
  void softmaxBackwardIsTheGradientOfForward() {
    int rows = 3;
    int n = 7;
    for (boolean log : new boolean[] {false, true}) {
      double[] x = draw(rows * n);
      double[] dy = draw(rows * n);
      double[] y = BaseOpsReference.softmax(x, n, log);
      double[] dx = SoftmaxReference.backward(y, dy, rows, n, log);
      assertGradient("softmax log=" + log, dx, x, v -> dot(dy, BaseOpsReference.softmax(v, n, log)));
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
    double[] rstd = new double[rows];
    BaseOpsReference.rmsNorm(x, w, n, eps, rstd);
    RmsNormReference.Backward b = RmsNormReference.backward(dy, x, w, rstd, rows, n);
    assertGradient("rmsnorm dx", b.dx(), x, v -> dot(dy, BaseOpsReference.rmsNorm(v, w, n, eps, null)));
    assertGradient("rmsnorm dw", b.dw(), w, v -> dot(dy, BaseOpsReference.rmsNorm(x, v, n, eps, null)));
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
          + " (" + Seeds.describe() + ")");
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

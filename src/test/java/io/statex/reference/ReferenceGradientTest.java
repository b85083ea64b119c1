package io.statex.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.backend.UnaryOp;
import io.statex.testing.Seeds;
import java.util.EnumSet;
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
  void unaryDerivativesAreTheGradientsOfForward() {
    double s = 0.3;
    for (UnaryOp op : UnaryOp.values()) {
      boolean positive = EnumSet.of(UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.RSQRT, UnaryOp.RECIPROCAL, UnaryOp.POW_SCALAR)
          .contains(op);
      double[] x = draw(16);
      for (int i = 0; i < x.length; i++) {
        x[i] = positive ? 0.5 + Math.abs(x[i]) * 0.75 : x[i];
        if (Math.abs(x[i]) < 1e-3 || Math.abs(x[i] - s) < 1e-3) {  // keep central differences off the kinks
          x[i] += 0.01;
        }
      }
      double[] dy = draw(x.length);
      double[] dx = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        dx[i] = dy[i] * BaseOpsReference.unaryDerivative(op, x[i], s);
      }
      assertGradient("unary " + op, dx, x, v -> {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
          sum += dy[i] * BaseOpsReference.unary(op, v[i], s);
        }
        return sum;
      });
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

  @Test
  void ssdBackwardIsTheGradientOfForward() {
    int h = 2, p = 2, n = 3, g = 1;
    long[] seq = {0, 4, 7};  // two packed sequences
    double lo = 0.05, hi = 0.5;
    double[] bias = scale(draw(h), 0.1);
    double[] dt = shift(draw(7 * h), -1);
    for (int i = 0; i < dt.length; i++) {  // keep central differences off the clamp's kinks
      double delta = Math.log1p(Math.exp(dt[i] + bias[i % h]));
      if (Math.abs(delta - lo) < 1e-3 || Math.abs(delta - hi) < 1e-3) {
        dt[i] += 0.01;
      }
    }
    SsdReference.Problem q = new SsdReference.Problem(h, p, n, g, seq, draw(7 * h * p), dt, bias,
        new double[] {-0.7, -1.3}, scale(draw(7 * g * n), 0.5), scale(draw(7 * g * n), 0.5), draw(h),
        scale(draw(2 * h * p * n), 0.5), true, lo, hi);
    double[] dy = draw(7 * h * p);
    double[] dFin = draw(2 * h * p * n);
    SsdReference.Result r = SsdReference.run(q, dy, dFin);
    assertGradient("ssd dx", r.dx(), q.x(), v -> ssdLoss(with(q, v, q.dt(), q.dtBias(), q.A(), q.B(), q.C(), q.D(), q.init()), dy, dFin));
    assertGradient("ssd ddt", r.ddt(), q.dt(), v -> ssdLoss(with(q, q.x(), v, q.dtBias(), q.A(), q.B(), q.C(), q.D(), q.init()), dy, dFin));
    assertGradient("ssd ddt_bias", r.dBias(), q.dtBias(), v -> ssdLoss(with(q, q.x(), q.dt(), v, q.A(), q.B(), q.C(), q.D(), q.init()), dy, dFin));
    assertGradient("ssd dA", r.dA(), q.A(), v -> ssdLoss(with(q, q.x(), q.dt(), q.dtBias(), v, q.B(), q.C(), q.D(), q.init()), dy, dFin));
    assertGradient("ssd dB", r.dB(), q.B(), v -> ssdLoss(with(q, q.x(), q.dt(), q.dtBias(), q.A(), v, q.C(), q.D(), q.init()), dy, dFin));
    assertGradient("ssd dC", r.dC(), q.C(), v -> ssdLoss(with(q, q.x(), q.dt(), q.dtBias(), q.A(), q.B(), v, q.D(), q.init()), dy, dFin));
    assertGradient("ssd dD", r.dD(), q.D(), v -> ssdLoss(with(q, q.x(), q.dt(), q.dtBias(), q.A(), q.B(), q.C(), v, q.init()), dy, dFin));
    assertGradient("ssd dinitial_state", r.dInit(), q.init(), v -> ssdLoss(with(q, q.x(), q.dt(), q.dtBias(), q.A(), q.B(), q.C(), q.D(), v), dy, dFin));
  }

  @Test
  void conv1dBackwardIsTheGradientOfForward() {
    long[] seq = {0, 3, 3, 8};  // an empty sequence in the middle
    int ch = 2, w = 4;
    double[] x = draw(8 * ch), wt = scale(draw(ch * w), 0.5), bias = scale(draw(ch), 0.5), dout = draw(8 * ch);
    Conv1dReference.Result r = Conv1dReference.run(seq, ch, w, x, wt, bias, true, dout);
    assertGradient("conv1d dx", r.dx(), x, v -> dot(dout, Conv1dReference.run(seq, ch, w, v, wt, bias, true, null).out()));
    assertGradient("conv1d dweight", r.dw(), wt, v -> dot(dout, Conv1dReference.run(seq, ch, w, x, v, bias, true, null).out()));
    assertGradient("conv1d dbias", r.dbias(), bias, v -> dot(dout, Conv1dReference.run(seq, ch, w, x, wt, v, true, null).out()));
  }

  private static SsdReference.Problem with(SsdReference.Problem q, double[] x, double[] dt, double[] bias, double[] a,
      double[] b, double[] c, double[] d, double[] init) {
    return new SsdReference.Problem(q.H(), q.P(), q.N(), q.G(), q.seq(), x, dt, bias, a, b, c, d, init, q.softplus(),
        q.dtMin(), q.dtMax());
  }

  private static double ssdLoss(SsdReference.Problem q, double[] dy, double[] dFin) {
    SsdReference.Result f = SsdReference.run(q, null, null);
    return dot(dy, f.y()) + dot(dFin, f.fin());
  }

  private static double[] scale(double[] v, double s) {
    for (int i = 0; i < v.length; i++) {
      v[i] *= s;
    }
    return v;
  }

  private static double[] shift(double[] v, double s) {
    for (int i = 0; i < v.length; i++) {
      v[i] += s;
    }
    return v;
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

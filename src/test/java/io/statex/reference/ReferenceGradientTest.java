package io.statex.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The hand-written reverse passes of the references against float64 central differences, every input element. */
class ReferenceGradientTest {
  private static final double EPS = 1e-6;

  private static double[] normal(Random r, int n, double std, double mean) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = mean + std * r.nextGaussian();
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

  /** Compares grad with central differences of loss over every element of input (perturbed in place). */
  private static void check(String name, double[] input, double[] grad, Function<Void, Double> loss) {
    for (int i = 0; i < input.length; i++) {
      double keep = input[i];
      input[i] = keep + EPS;
      double up = loss.apply(null);
      input[i] = keep - EPS;
      double down = loss.apply(null);
      input[i] = keep;
      double fd = (up - down) / (2 * EPS);
      assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), name + "[" + i + "]");
    }
  }

  @Test
  void ssdReverseMatchesCentralDifferences() {
    Random r = new Random(11);
    int H = 2, P = 2, N = 3, G = 1;
    long[] seq = {0, 4, 7};  // two sequences, 7 tokens
    double[] x = normal(r, 7 * H * P, 1, 0), dt = normal(r, 7 * H, 0.5, -1), bias = normal(r, H, 0.2, 0);
    double[] a = {-0.7, -1.3}, b = normal(r, 7 * G * N, 0.5, 0), c = normal(r, 7 * G * N, 0.5, 0);
    double[] d = normal(r, H, 1, 0), init = normal(r, 2 * H * P * N, 0.5, 0);
    double[] dy = normal(r, x.length, 1, 0), dFin = normal(r, init.length, 1, 0);
    SsdReference.Problem p = new SsdReference.Problem(H, P, N, G, seq, x, dt, bias, a, b, c, d, init, true, 0.05, 0.5);
    SsdReference.Result g = SsdReference.run(p, dy, dFin);
    Function<Void, Double> loss = v -> {
      SsdReference.Result f = SsdReference.run(p, null, null);
      return dot(f.y(), dy) + dot(f.fin(), dFin);
    };
    check("dx", x, g.dx(), loss);
    check("ddt", dt, g.ddt(), loss);
    check("ddt_bias", bias, g.dBias(), loss);
    check("dA", a, g.dA(), loss);
    check("dB", b, g.dB(), loss);
    check("dC", c, g.dC(), loss);
    check("dD", d, g.dD(), loss);
    check("dinitial_state", init, g.dInit(), loss);
  }

  @Test
  void conv1dReverseMatchesCentralDifferences() {
    Random r = new Random(12);
    long[] seq = {0, 3, 3, 8};
    int ch = 2, w = 4;
    double[] x = normal(r, 8 * ch, 1, 0), wt = normal(r, ch * w, 0.5, 0), bias = normal(r, ch, 0.5, 0);
    double[] dout = normal(r, x.length, 1, 0);
    Conv1dReference.Result g = Conv1dReference.run(seq, ch, w, x, wt, bias, true, dout);
    Function<Void, Double> loss = v -> dot(Conv1dReference.run(seq, ch, w, x, wt, bias, true, null).out(), dout);
    check("dx", x, g.dx(), loss);
    check("dweight", wt, g.dw(), loss);
    check("dbias", bias, g.dbias(), loss);
  }
}

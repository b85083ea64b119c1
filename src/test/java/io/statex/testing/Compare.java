package io.statex.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.statex.tensor.DType;

/**
 * Compares an output with its float64 reference under {@link Tolerance}; a failure names the op,
 * case, tensor, worst index, both values and the error ratios.
 */
public final class Compare {
  private Compare() {}

  /** Relative L2 error ||got - ref|| / ||ref||, with the same scale rule as {@link #assertClose}. */
  public static double relativeError(double[] ref, double[] got) {
    return errorRelativeTo(ref, got, ref);
  }

  /** ||got - ref|| / ||scale||. */
  private static double errorRelativeTo(double[] ref, double[] got, double[] scale) {
    double num = 0;
    double den = 0;
    for (int i = 0; i < ref.length; i++) {
      double d = got[i] - ref[i];
      num += d * d;
      den += scale[i] * scale[i];
    }
    return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
  }

  public static void assertClose(String what, double[] ref, double[] got, DType dtype) {
    assertClose(what, ref, got, Tolerance.relative(dtype));
  }

  /** With the tolerance of dtype for outputs whose longest accumulation has n terms. */
  public static void assertClose(String what, double[] ref, double[] got, DType dtype, long n) {
    assertClose(what, ref, got, Tolerance.relative(dtype, n));
  }

  public static void assertClose(String what, double[] ref, double[] got, double tolerance) {
    check(what, ref, ref, got, tolerance, "relative error");
  }

  /**
   * For outputs that are long sums of mixed-sign terms (per-parameter gradients summed over every token): the error
   * ||got - ref|| is measured against ||magnitude||, where magnitude[i] is the same sum over the absolute values of
   * its terms. A rounded sum errs in proportion to the sum of its terms' magnitudes, not to the result (Higham,
   * Accuracy and Stability of Numerical Algorithms, 2nd ed., section 4.2); when the terms cancel, the result is small
   * while the rounding error is not. Every term still has to be right: a wrong or missing term is an error of the
   * order of the terms themselves.
   */
  public static void assertSumClose(String what, double[] ref, double[] magnitude, double[] got, double tolerance) {
    if (magnitude.length != ref.length) {
      fail(what + ": magnitude length " + magnitude.length + ", reference has " + ref.length);
    }
    check(what, ref, magnitude, got, tolerance, "error relative to the sum of term magnitudes");
  }

  private static void check(String what, double[] ref, double[] scale, double[] got, double tolerance, String measure) {
    if (ref.length != got.length) {
      fail(what + ": length " + got.length + ", reference has " + ref.length);
    }
    int worst = -1;
    double worstAbs = -1;
    for (int i = 0; i < ref.length; i++) {
      boolean refFinite = Double.isFinite(ref[i]);
      if (refFinite && !Double.isFinite(got[i])) {
        fail(String.format("%s: element %d is %s, reference %.9g (unwritten or overflowed)", what, i, got[i], ref[i]));
      }
      if (!refFinite && Double.compare(ref[i], got[i]) != 0 && !(Double.isNaN(ref[i]) && Double.isNaN(got[i]))) {
        fail(String.format("%s: element %d is %s, reference %s", what, i, got[i], ref[i]));
      }
      double a = refFinite ? Math.abs(got[i] - ref[i]) : 0;
      if (a > worstAbs) {
        worstAbs = a;
        worst = i;
      }
    }
    double[] rf = finite(ref);
    double[] gf = finiteLike(ref, got);
    double rel = errorRelativeTo(rf, gf, finiteLike(ref, scale));
    if (rel > tolerance) {
      fail(String.format("%s: %s %.3e > %.1e; worst element %d: got %.9g, reference %.9g (abs error %.3e)", what,
          measure, rel, tolerance, worst, got[worst], ref[worst], worstAbs));
    }
  }

  private static double[] finite(double[] x) {
    return java.util.Arrays.stream(x).map(v -> Double.isFinite(v) ? v : 0).toArray();
  }

  private static double[] finiteLike(double[] ref, double[] got) {
    double[] out = new double[got.length];
    for (int i = 0; i < got.length; i++) {
      out[i] = Double.isFinite(ref[i]) ? got[i] : 0;
    }
    return out;
  }

  public static void assertExact(String what, long[] ref, long[] got) {
    if (ref.length != got.length) {
      fail(what + ": length " + got.length + ", reference has " + ref.length);
    }
    for (int i = 0; i < ref.length; i++) {
      if (ref[i] != got[i]) {
        fail(what + ": element " + i + " is " + got[i] + ", reference " + ref[i]);
      }
    }
  }
}

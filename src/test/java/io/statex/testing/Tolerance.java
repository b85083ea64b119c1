package io.statex.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one tolerance policy of the kernel tests: a tensor passes when ||out - ref|| / ||ref|| is at most 1e-5 for
 * fp32 cases and 1e-2 (relative RMS) for bf16 cases; a NaN anywhere fails. A failure names the op, case, tensor,
 * worst index, both values and the ratio.
 */
public final class Tolerance {
  public static final double F32 = 1e-5;
  public static final double BF16 = 1e-2;

  private Tolerance() {}

  public static double forDtype(int dtype) {
    return dtype == Buf.F32 ? F32 : BF16;
  }

  /** Relative error of out against ref; fails the test past the dtype's tolerance. */
  public static double check(String op, String caseName, String tensor, double[] ref, double[] out, int dtype) {
    if (ref.length != out.length) {
      fail(String.format("%s %s %s: length %d, reference %d", op, caseName, tensor, out.length, ref.length));
    }
    double num = 0, den = 0, worst = -1;
    int wi = -1;
    for (int i = 0; i < ref.length; i++) {
      double d = out[i] - ref[i];
      if (Double.isNaN(out[i]) || Double.isInfinite(out[i])) {
        fail(String.format("%s %s %s: element %d is %s (reference %.9g): unwritten or overflowed", op, caseName,
            tensor, i, out[i], ref[i]));
      }
      num += d * d;
      den += ref[i] * ref[i];
      if (Math.abs(d) > worst) {
        worst = Math.abs(d);
        wi = i;
      }
    }
    double rel = Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
    double tol = forDtype(dtype);
    if (den == 0 ? num > 0 : rel > tol) {
      fail(String.format("%s %s %s: relative error %.3e > %.1e (ratio %.2f); worst index %d: got %.9g, reference %.9g"
          + " (abs error %.3e, ||ref|| %.3e)", op, caseName, tensor, rel, tol, rel / tol, wi, out[wi], ref[wi], worst,
          Math.sqrt(den)));
    }
    return rel;
  }
}

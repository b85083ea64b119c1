package io.statex.testing;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one accuracy policy of the kernel tests, compared against a float64 reference:
 * <ul>
 *   <li>F32 inputs: ||out - ref|| / ||ref|| <= 1e-5 and max |out - ref| <= 1e-5 * max |ref|;
 *   <li>BF16 inputs (fp32 accumulation): relative RMS error ||out - ref|| / ||ref|| <= 1e-2.
 * </ul>
 * A NaN or infinity in the output always fails (outputs are poisoned with NaN before each call, so
 * an element a kernel did not write fails too). The failure message names the check, the tensor, the
 * worst index with both values, and the error ratios.
 */
public final class Tolerance {
  public static final int F32 = 0;
  public static final int BF16 = 1;

  /** -Dstatex.test.verbose=true prints every comparison's error ratios, passing or not. */
  private static final boolean VERBOSE = Boolean.getBoolean("statex.test.verbose");

  private Tolerance() {}

  public static double forDtype(int dtype) {
    return dtype == F32 ? 1e-5 : 1e-2;
  }

  /** Asserts {@code actual} matches {@code expected} under the policy of {@code dtype}. */
  public static void assertClose(String what, long[] shape, double[] actual, double[] expected, int dtype) {
    if (actual.length != expected.length) {
      fail(what + ": " + actual.length + " elements, expected " + expected.length);
    }
    double tol = forDtype(dtype), errSq = 0, refSq = 0, maxErr = -1, maxRef = 0;
    int worst = 0;
    for (int i = 0; i < actual.length; i++) {
      if (!Double.isFinite(actual[i])) {
        fail(what + ": non-finite value " + actual[i] + " at " + index(shape, i) + " (expected " + expected[i]
            + "): unwritten or overflowed");
      }
      double e = Math.abs(actual[i] - expected[i]);
      errSq += e * e;
      refSq += expected[i] * expected[i];
      maxRef = Math.max(maxRef, Math.abs(expected[i]));
      if (e > maxErr) {
        maxErr = e;
        worst = i;
      }
    }
    double rel = refSq == 0 ? Math.sqrt(errSq) : Math.sqrt(errSq / refSq);
    double relMax = maxRef == 0 ? maxErr : maxErr / maxRef;
    boolean ok = rel <= tol && (dtype != F32 || relMax <= tol);
    if (VERBOSE) {
      System.out.printf("%s %s: rel err %.3e, max abs err / max|ref| %.3e (limit %.0e)%n", ok ? "ok  " : "FAIL", what,
          rel, relMax, tol);
    }
    if (!ok) {
      fail(String.format("%s: rel err %.3e (limit %.0e), max abs err %.3e = %.3e of max|ref| %.3e, worst at %s: "
              + "got %.9g, expected %.9g", what, rel, tol, maxErr, relMax, maxRef, index(shape, worst),
          actual[worst], expected[worst]));
    }
  }

  /** Multi-dimensional index of flat position i in a row-major shape, e.g. [1, 62, 0, 17]. */
  public static String index(long[] shape, long i) {
    long[] idx = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = i % shape[d];
      i /= shape[d];
    }
    return java.util.Arrays.toString(idx);
  }
}

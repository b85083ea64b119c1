package io.statex.testing;

import io.statex.tensor.DType;

/**
 * The one tolerance policy of the test suites, from the output dtype and the accumulation length.
 *
 * <p>fp32: relative error ||out - ref|| / ||ref|| at most 1e-5 (elementwise math and short sums land
 * near 1e-7; a dot product of length n adds about sqrt(n) * 6e-8, still far below 1e-5 for the sizes
 * tested). bf16 outputs: relative RMS error at most 1e-2 (one bf16 rounding is 2^-9 = 2e-3 relative).
 *
 * <p>fp64 (CPU only): relative error at most 8 n u, with u = 2^-53 the unit roundoff and n the
 * longest accumulation behind an output, taken as at least 1024: n u bounds the relative error of a
 * recursive sum of n terms (against the sum of their magnitudes, Higham's gamma_n), the factor 8 leaves
 * room for the reference's own rounding and mild cancellation, and the floor covers elementwise
 * results, where C's libm and Java's Math differ by an ulp or two per function. That is 2^-40 = 9.1e-13
 * up to n = 1024, growing linearly beyond.
 *
 * <p>Outputs that are long sums of mixed-sign terms (a per-head parameter's gradient summed over every
 * token) take the same tolerance, measured against the sum of their terms' magnitudes instead of the
 * result ({@link Compare#assertSumClose}): when the terms cancel, the rounding error does not shrink
 * with the result.
 *
 * <p>NaN or infinity where the reference is finite never passes.
 */
public final class Tolerance {
  /** Unit roundoff of float64. */
  private static final double U64 = 0x1p-53;

  private Tolerance() {}

  /** The tolerance for outputs of dtype behind short accumulations (n <= 1024 for fp64). */
  public static double relative(DType dtype) {
    return relative(dtype, 1);
  }

  /** The tolerance for outputs of dtype whose longest accumulation has n terms. */
  public static double relative(DType dtype, long n) {
    switch (dtype) {
      case BF16:
        return 1e-2;
      case F64:
        return 8 * U64 * Math.max(1024, n);
      default:
        return 1e-5;
    }
  }

  /** Step of the central differences in the F64 gradient checks. */
  public static final double GRADCHECK_EPS = 1e-6;

  /**
   * Relative error allowed between a backward and central differences in F64: the quotient errs by
   * about eps^2 |f'''| + u |f| / eps, near 1e-9 relative for the smooth O(1) functions checked; 1e-6
   * leaves three orders of margin and still catches a wrong term (an O(1) relative error).
   */
  public static final double GRADCHECK = 1e-6;
}

package io.statex.testing;

import io.statex.tensor.DType;

/**
 * The one tolerance policy of the test suites, from the output dtype and the accumulation length.
 *
 * <p>fp32: relative error ||out - ref|| / ||ref|| at most 1e-5 (elementwise math and short sums land
 * near 1e-7; a dot product of length n adds about sqrt(n) * 6e-8, still far below 1e-5 for the sizes
 * tested). bf16 outputs: relative RMS error at most 1e-2 (one bf16 rounding is 2^-9 = 2e-3 relative).
 * NaN or infinity where the reference is finite never passes.
 */
public final class Tolerance {
  private Tolerance() {}

  public static double relative(DType dtype) {
    return dtype == DType.BF16 ? 1e-2 : 1e-5;
  }
}

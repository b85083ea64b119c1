package io.statex.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.tensor.DType;
import io.statex.testing.Tolerance;
import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * The comparisons of the kernel tests, applying the one tolerance policy ({@link Tolerance}). An output is
 * compared with its float64 reference as a whole tensor: ||out - ref|| / ||ref|| and, so that one wrong
 * element cannot hide in a large tensor, max |out - ref| / max |ref| must both stay within the bound of the
 * output's dtype. A NaN the reference does not have always fails; a reference that is exactly zero demands
 * an exactly zero output. Failure messages name the context (op, case, seed), the tensor, the worst
 * multi-index with both values, and the error ratios. Bad input must be rejected with an
 * IllegalArgumentException whose message names the argument.
 */
final class KernelAsserts {
  private KernelAsserts() {}

  static void assertClose(String context, String tensor, double[] ref, float[] out, long[] shape, DType dtype) {
    assertEquals(ref.length, out.length, context + ": " + tensor + ": element count");
    double errSq = 0;
    double refSq = 0;
    double maxErr = 0;
    double maxRef = 0;
    int worst = -1;
    for (int i = 0; i < ref.length; i++) {
      if (Double.isNaN(out[i]) && !Double.isNaN(ref[i])) {
        fail(context + ": " + tensor + ": NaN at " + index(i, shape) + " (want " + ref[i] + "): unwritten or poisoned");
      }
      double err = Math.abs(out[i] - ref[i]);
      errSq += err * err;
      refSq += ref[i] * ref[i];
      maxRef = Math.max(maxRef, Math.abs(ref[i]));
      if (worst < 0 || err > maxErr) {
        maxErr = err;
        worst = i;
      }
    }
    if (worst < 0) {
      return;
    }
    double tol = Tolerance.relative(dtype);
    double relNorm = refSq == 0 ? (errSq == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(errSq / refSq);
    double relMax = maxRef == 0 ? (maxErr == 0 ? 0 : Double.POSITIVE_INFINITY) : maxErr / maxRef;
    if (!(relNorm <= tol && relMax <= tol)) {
      fail(String.format("%s: %s (%s): ||out-ref||/||ref|| = %.3e, max|out-ref|/max|ref| = %.3e, bound %.0e; "
              + "worst at %s: got %s, want %s (||ref|| = %.4g)", context, tensor, dtype, relNorm, relMax, tol,
          index(worst, shape), out[worst], ref[worst], Math.sqrt(refSq)));
    }
  }

  /** Bit-for-bit agreement (as floats; NaN equals NaN): gathers and extremes are exact. */
  static void assertExact(String context, String tensor, double[] ref, float[] out, long[] shape) {
    assertEquals(ref.length, out.length, context + ": " + tensor + ": element count");
    for (int i = 0; i < ref.length; i++) {
      if (Float.compare((float) ref[i], out[i]) != 0 && !(ref[i] == 0 && out[i] == 0)) {
        fail(context + ": " + tensor + ": at " + index(i, shape) + ": got " + out[i] + ", want exactly " + ref[i]);
      }
    }
  }

  static void assertExact(String context, String tensor, long[] ref, long[] out, long[] shape) {
    assertEquals(ref.length, out.length, context + ": " + tensor + ": element count");
    for (int i = 0; i < ref.length; i++) {
      if (ref[i] != out[i]) {
        fail(context + ": " + tensor + ": at " + index(i, shape) + ": got " + out[i] + ", want " + ref[i]);
      }
    }
  }

  /** call must fail as bad input, with a message containing fragment (the argument and what was wrong). */
  static void assertRejected(BaseKernels kernels, String fragment, IntSupplier call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kernels.check(call.getAsInt(), "call"),
        () -> "expected bad input naming '" + fragment + "' to be rejected on " + kernels.device());
    assertTrue(e.getMessage().contains(fragment), () -> "message '" + e.getMessage() + "' should contain '" + fragment + "'");
  }

  /** The flat row-major index i as a multi-index of shape, e.g. [2, 17]. */
  static String index(int i, long[] shape) {
    long[] at = new long[shape.length];
    long rest = i;
    for (int d = shape.length - 1; d >= 0; d--) {
      at[d] = shape[d] == 0 ? 0 : rest % shape[d];
      rest = shape[d] == 0 ? 0 : rest / shape[d];
    }
    return Arrays.toString(at);
  }
}

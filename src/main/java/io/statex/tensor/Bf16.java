package io.statex.tensor;

/** bfloat16 bit conversions on the host, rounding exactly as the native kernels do. */
public final class Bf16 {
  private Bf16() {}

  /** float -> bf16 bits, round to nearest even; NaN stays a quiet NaN. */
  public static short fromFloat(float f) {
    int u = Float.floatToRawIntBits(f);
    if ((u & 0x7fffffff) > 0x7f800000) {
      return (short) ((u >>> 16) | 0x0040);
    }
    u += 0x7fff + ((u >>> 16) & 1);
    return (short) (u >>> 16);
  }

  public static float toFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** f rounded to the nearest bf16 value, as a float. */
  public static float round(float f) {
    return toFloat(fromFloat(f));
  }

  /**
   * double -> bf16 bits rounded once to nearest even, as the native F64 -> BF16 cast does: through a
   * float rounded to odd (truncated, last bit set when inexact), so that the second rounding is exact.
   */
  public static short fromDouble(double d) {
    float f = (float) d;
    int u = Float.floatToRawIntBits(f);
    if (f != d && Float.isFinite(f) && !Double.isNaN(d)) {
      if (Math.abs((double) f) > Math.abs(d)) {
        u -= 1;
      }
      u |= 1;
    }
    return fromFloat(Float.intBitsToFloat(u));
  }
}

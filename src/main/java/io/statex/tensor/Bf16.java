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
}

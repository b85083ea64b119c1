package io.statex.testing;

/** bfloat16 bits in Java, rounding as the native code does (to nearest even; NaN stays a quiet NaN). */
public final class Bf16 {
  private Bf16() {}

  public static short bits(float f) {
    int u = Float.floatToRawIntBits(f);
    if ((u & 0x7fffffff) > 0x7f800000) {
      return (short) ((u >>> 16) | 0x40);
    }
    u += 0x7fff + ((u >>> 16) & 1);
    return (short) (u >>> 16);
  }

  public static float value(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** The nearest bf16 value. */
  public static double round(double x) {
    return value(bits((float) x));
  }
}

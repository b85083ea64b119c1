package io.statex.io.safetensors;

import io.statex.tensor.Bf16;

/**
 * Exact decodings of the small float formats a checkpoint may hold, and correctly rounded
 * narrowing from double. Every value of F16, BF16, F32 and the two OCP FP8 types is exactly a
 * double, so the loader reads each source element as a double and rounds once to the target.
 */
final class Floats {
  private Floats() {}

  private static final float[] E4M3 = table(4, 3, false);
  private static final float[] E5M2 = table(5, 2, true);

  /** IEEE binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
  static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13)); // infinity, or NaN keeping its payload
    }
    if (exp == 0) {
      float magnitude = mant * 0x1p-24f; // subnormal (or zero): mant * 2^-24, exact in float
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** OCP FP8 E4M3 ("fn": bias 7, no infinities, S.1111.111 is NaN, largest 448). */
  static float e4m3ToFloat(int bits) {
    return E4M3[bits & 0xff];
  }

  /** OCP FP8 E5M2 (IEEE-like: bias 15, infinities and NaNs at exponent 31). */
  static float e5m2ToFloat(int bits) {
    return E5M2[bits & 0xff];
  }

  /**
   * d rounded to the nearest bf16 (ties to even), as bf16 bits. Rounding through float would round
   * twice and can miss by one unit; rounding to float with "round to odd" first (truncate, then set
   * the last bit when anything was dropped) keeps the information the second rounding needs, since
   * float has more than bf16's 8 + 2 bits of precision.
   */
  static short doubleToBf16(double d) {
    float f = (float) d;
    if (Double.isFinite(d) && (double) f != d) {
      if (Math.abs((double) f) > Math.abs(d)) {
        f = Math.nextAfter(f, 0.0); // truncate toward zero
      }
      f = Float.intBitsToFloat(Float.floatToRawIntBits(f) | 1);
    }
    return Bf16.fromFloat(f);
  }

  private static float[] table(int expBits, int mantBits, boolean ieeeSpecials) {
    float[] t = new float[256];
    int bias = (1 << (expBits - 1)) - 1;
    int expMax = (1 << expBits) - 1;
    int mantMax = (1 << mantBits) - 1;
    for (int b = 0; b < 256; b++) {
      int exp = (b >>> mantBits) & expMax;
      int mant = b & mantMax;
      double magnitude;
      if (ieeeSpecials && exp == expMax) {
        magnitude = mant == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
      } else if (!ieeeSpecials && exp == expMax && mant == mantMax) {
        magnitude = Double.NaN;
      } else if (exp == 0) {
        magnitude = Math.scalb((double) mant, 1 - bias - mantBits);
      } else {
        magnitude = Math.scalb((double) ((1 << mantBits) + mant), exp - bias - mantBits);
      }
      t[b] = (float) ((b & 0x80) != 0 ? -magnitude : magnitude);
    }
    return t;
  }
}

package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.tensor.Bf16;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored types other than ours, in files the test assembles byte by byte: every element must
 * arrive exactly (or correctly rounded) in the loaded dtype, and every value the target cannot
 * hold must be an error naming the element. Expected values come from the formats' definitions
 * (sign, exponent, mantissa formulas; BigDecimal rounding), not from the product's code.
 */
class SafetensorsConversionTest {
  @TempDir Path dir;
  private int files;

  @Test
  void everyF16PatternLoadsExactlyAsF32() throws IOException {
    short[] all = new short[65536];
    double[] expected = new double[65536];
    for (int b = 0; b < 65536; b++) {
      all[b] = (short) b;
      expected[b] = smallFloat(b, 5, 10, true);
    }
    assertLoads(single("F16", new long[] {256, 256}, SpecFile.le(all)), DType.F32, expected);
  }

  @Test
  void everyFp8PatternLoadsExactlyAsF32() throws IOException {
    byte[] all = new byte[256];
    double[] e4m3 = new double[256];
    double[] e5m2 = new double[256];
    for (int b = 0; b < 256; b++) {
      all[b] = (byte) b;
      e4m3[b] = smallFloat(b, 4, 3, false);
      e5m2[b] = smallFloat(b, 5, 2, true);
    }
    assertEquals(448.0, e4m3[0x7e]); // the E4M3 maximum the OCP spec names
    assertEquals(57344.0, e5m2[0x7b]); // the E5M2 maximum
    assertLoads(single("F8_E4M3", new long[] {256}, all), DType.F32, e4m3);
    assertLoads(single("F8_E5M2", new long[] {16, 16}, all), DType.F32, e5m2);
  }

  @Test
  void f64RoundsOnceToF32AndToBf16() throws IOException {
    Random r = new Random(Seeds.fresh("f64RoundsOnceToF32AndToBf16"));
    int n = 4099;
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = i % 3 == 0 ? nearBf16Midpoint(r) : Math.scalb(r.nextDouble() - 0.5, r.nextInt(200) - 100);
    }
    d[0] = Double.NaN;
    d[1] = Double.NEGATIVE_INFINITY;
    d[2] = -0.0;
    d[3] = Double.MIN_VALUE; // underflows to zero
    double[] asF32 = new double[n];
    double[] asBf16 = new double[n];
    for (int i = 0; i < n; i++) {
      asF32[i] = (float) d[i]; // the Java cast is IEEE round-to-nearest-even by definition
      asBf16[i] = nearestBf16(d[i]);
    }
    Path file = single("F64", new long[] {n}, SpecFile.le(d));
    assertLoads(file, DType.F32, asF32);
    assertLoads(file, DType.BF16, asBf16);
  }

  @Test
  void f32AndF16AndBf16CrossLoad() throws IOException {
    Random r = new Random(Seeds.fresh("f32AndF16AndBf16CrossLoad"));
    float[] f = new float[1001];
    double[] rounded = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) Math.scalb(r.nextGaussian(), r.nextInt(60) - 30);
      rounded[i] = nearestBf16(f[i]);
    }
    assertLoads(single("F32", new long[] {f.length}, SpecFile.le(f)), DType.BF16, rounded);
    short[] bf = new short[f.length];
    double[] widened = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      bf[i] = (short) r.nextInt(0x7f80); // finite positive patterns
      widened[i] = Float.intBitsToFloat((bf[i] & 0xffff) << 16);
    }
    assertLoads(single("BF16", new long[] {f.length}, SpecFile.le(bf)), DType.F32, widened);
  }

  @Test
  void integersWidenExactly() throws IOException {
    Random r = new Random(Seeds.fresh("integersWidenExactly"));
    int n = 777;
    byte[] bytes = new byte[n];
    r.nextBytes(bytes);
    short[] shorts = new short[n];
    int[] ints = new int[n];
    long[] longs = new long[n];
    byte[] bools = new byte[n];
    for (int i = 0; i < n; i++) {
      shorts[i] = (short) r.nextInt();
      ints[i] = r.nextInt() & 0x7fffffff;
      longs[i] = r.nextLong() & Long.MAX_VALUE;
      bools[i] = (byte) r.nextInt(2);
    }
    assertIntegers(single("U8", new long[] {n}, bytes), DType.I32, i -> bytes[i] & 0xff, n);
    assertIntegers(single("I8", new long[] {n}, bytes), DType.I32, i -> bytes[i], n);
    assertIntegers(single("I16", new long[] {n}, SpecFile.le(shorts)), DType.I32, i -> shorts[i], n);
    assertIntegers(single("U16", new long[] {n}, SpecFile.le(shorts)), DType.I32, i -> shorts[i] & 0xffff, n);
    assertIntegers(single("U32", new long[] {n}, SpecFile.le(ints)), DType.I32, i -> ints[i], n);
    assertIntegers(single("BOOL", new long[] {n}, bools), DType.I32, i -> bools[i], n);
    assertIntegers(single("U64", new long[] {n}, SpecFile.le(longs)), DType.I64, i -> longs[i], n);
    int[] negative = r.ints(n).toArray();
    assertIntegers(single("U32", new long[] {n}, SpecFile.le(negative)), DType.I64, i -> negative[i] & 0xffffffffL, n);
    assertIntegers(single("I16", new long[] {n}, SpecFile.le(shorts)), DType.I64, i -> shorts[i], n);
    long[] small = new long[n];
    for (int i = 0; i < n; i++) {
      small[i] = r.nextInt();
    }
    assertIntegers(single("I64", new long[] {n}, SpecFile.le(small)), DType.I32, i -> small[i], n);
  }

  @Test
  void valuesTheTargetCannotHoldAreErrorsNamingTheElement() throws IOException {
    assertOutOfRange(single("U32", new long[] {3}, SpecFile.le(1, 2, 0x80000000)), DType.I32, "element 2 is 2147483648");
    assertOutOfRange(single("U64", new long[] {2}, SpecFile.le(5L, -1L)), DType.I64, "element 1 is 18446744073709551615");
    assertOutOfRange(single("I64", new long[] {2}, SpecFile.le(1L << 40, 0L)), DType.I32, "element 0 is 1099511627776");
    assertOutOfRange(single("F64", new long[] {2}, SpecFile.le(1.0, 1e39)), DType.F32, "element 1 is 1.0E39");
    assertOutOfRange(single("F32", new long[] {2}, SpecFile.le(Float.MAX_VALUE, 1f)), DType.BF16, "element 0 is 3.4028234");
    assertOutOfRange(single("BOOL", new long[] {3}, new byte[] {0, 1, 2}), DType.I32, "BOOL element 2 is the byte 2");
  }

  @Test
  void kindsDoNotMixAndUnloadableTypesSaySo() throws IOException {
    Path floats = single("F16", new long[] {1}, SpecFile.le((short) 0x3c00));
    try (SafetensorsFile f = SafetensorsFile.open(floats)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.loadAs("x", DType.I32, Device.CPU));
      assertTrue(e.getMessage().contains("F16") && e.getMessage().contains("I32"), e.getMessage());
    }
    Path f4 = single("F4", new long[] {2, 2}, new byte[] {0x12, 0x34}); // 4 elements x 4 bits = 2 bytes
    try (SafetensorsFile f = SafetensorsFile.open(f4)) {
      assertEquals(SafetensorsDType.F4, f.info("x").dtype());
      SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.load("x", Device.CPU));
      assertTrue(e.getMessage().contains("F4 cannot be loaded"), e.getMessage());
    }
  }

  // ---------------------------------------------------------------- helpers

  private Path single(String dtype, long[] shape, byte[] raw) throws IOException {
    return new SpecFile().add("x", dtype, shape, raw).writeTo(dir.resolve(dtype + "-" + files++ + ".safetensors"));
  }

  private static void assertLoads(Path file, DType target, double[] expected) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file);
        TensorScope scope = TensorScope.open()) {
      Tensor t = f.loadAs("x", target, Device.CPU);
      assertEquals(target, t.dtype());
      float[] got = t.toFloatArray();
      for (int i = 0; i < expected.length; i++) {
        boolean same = Double.isNaN(expected[i]) ? Float.isNaN(got[i]) : Double.doubleToRawLongBits(expected[i]) == Double.doubleToRawLongBits(got[i]);
        if (!same) {
          fail(file.getFileName() + " as " + target + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " (" + Seeds.describe() + ")");
        }
      }
    }
  }

  private static void assertIntegers(Path file, DType target, java.util.function.IntToLongFunction expected, int n) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file);
        TensorScope scope = TensorScope.open()) {
      Tensor t = f.loadAs("x", target, Device.CPU);
      long[] want = new long[n];
      for (int i = 0; i < n; i++) {
        want[i] = expected.applyAsLong(i);
      }
      assertArrayEquals(want, t.toLongArray(), file.getFileName() + " as " + target + " " + Seeds.describe());
    }
  }

  private static void assertOutOfRange(Path file, DType target, String expected) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.loadAs("x", target, Device.CPU));
      assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("\"x\"") && e.getMessage().contains(file.toString()), e.getMessage());
    }
  }

  /**
   * A float format's value from its definition: sign bit, then expBits of exponent (bias
   * 2^(expBits-1) - 1), then mantBits of mantissa; exponent 0 is subnormal. With ieee, the top
   * exponent is infinity (mantissa 0) or NaN; without (OCP E4M3), only all-ones is NaN.
   */
  static double smallFloat(int bits, int expBits, int mantBits, boolean ieee) {
    int total = 1 + expBits + mantBits;
    boolean negative = ((bits >> (total - 1)) & 1) == 1;
    int e = (bits >> mantBits) & ((1 << expBits) - 1);
    int m = bits & ((1 << mantBits) - 1);
    int bias = (1 << (expBits - 1)) - 1;
    int top = (1 << expBits) - 1;
    double magnitude;
    if (ieee && e == top) {
      magnitude = m == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    } else if (!ieee && e == top && m == (1 << mantBits) - 1) {
      magnitude = Double.NaN;
    } else if (e == 0) {
      magnitude = m / (double) (1 << mantBits) * Math.pow(2, 1 - bias);
    } else {
      magnitude = (1 + m / (double) (1 << mantBits)) * Math.pow(2, e - bias);
    }
    return negative ? -magnitude : magnitude;
  }

  /**
   * d rounded to the nearest bf16, ties to even, by exact decimal arithmetic: binary search for the
   * largest bf16 pattern at most |d| (pattern 0x7f80 standing for 2^128, where rounding overflows).
   */
  static double nearestBf16(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return d;
    }
    BigDecimal x = new BigDecimal(Math.abs(d));
    int lo = 0;
    int hi = 0x7f80;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (bf16Value(mid).compareTo(x) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    int pick = lo;
    if (lo < 0x7f80) {
      int c = x.subtract(bf16Value(lo)).compareTo(bf16Value(lo + 1).subtract(x));
      pick = c > 0 || (c == 0 && (lo & 1) == 1) ? lo + 1 : lo;
    }
    double magnitude = pick == 0x7f80 ? Double.POSITIVE_INFINITY : bf16Value(pick).doubleValue();
    return Math.copySign(magnitude, d);
  }

  private static BigDecimal bf16Value(int pattern) {
    return pattern == 0x7f80 ? new BigDecimal(2).pow(128) : new BigDecimal(Bf16.toFloat((short) pattern));
  }

  /** A double within a few double ulps of the midpoint between two bf16 neighbours. */
  private static double nearBf16Midpoint(Random r) {
    short b = (short) (r.nextInt(0x7f00) + 0x80);
    double lo = Bf16.toFloat(b);
    double hi = Bf16.toFloat((short) (b + 1));
    double mid = (lo + hi) / 2; // exact: one more bit than bf16 holds
    double d = mid;
    for (int k = r.nextInt(5) - 2; k != 0; k += k > 0 ? -1 : 1) {
      d = k > 0 ? Math.nextUp(d) : Math.nextDown(d);
    }
    return r.nextBoolean() ? d : -d;
  }
}

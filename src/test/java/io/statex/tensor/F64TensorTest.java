package io.statex.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The F64 dtype on the CPU: exact round trips, views, casts that round once, fills and double random draws. */
class F64TensorTest {
  private static final double ONE_PLUS_ULP = 1 + 0x1p-52;

  @Test
  void dtypeProperties() {
    for (String name : new String[] {"f64", "float64", "FP64", "double"}) {
      assertEquals(DType.F64, DType.parse(name), name);
    }
    assertEquals(4, DType.F64.code());
    assertEquals(8, DType.F64.size());
    assertTrue(DType.F64.isFloat());
    assertEquals(DType.F64, DType.fromCode(4));
    assertEquals(DType.F64, DType.F64.wide());
    assertEquals(DType.F32, DType.F32.wide());
    assertEquals(DType.F32, DType.BF16.wide());
    assertTrue(assertThrows(IllegalArgumentException.class, DType.I64::wide).getMessage().contains("I64"));
  }

  @Test
  void valuesRoundTripExactly() {
    double[] v = {Math.PI, 1e-300, -0.0, Double.MAX_VALUE, Double.NaN, ONE_PLUS_ULP, Double.MIN_VALUE};
    try (TensorScope s = TensorScope.open()) {
      Tensor t = Tensor.of(v, v.length);
      assertEquals(DType.F64, t.dtype());
      assertArrayEquals(v, t.toDoubleArray());
      assertEquals(ONE_PLUS_ULP, Tensor.of(new double[] {ONE_PLUS_ULP}).item());
      Tensor m = Tensor.of(new double[] {1, 2, 3, 4, 5, ONE_PLUS_ULP}, 2, 3);
      assertArrayEquals(new double[] {1, 4, 2, 5, 3, ONE_PLUS_ULP}, m.transpose(0, 1).toDoubleArray());
      assertArrayEquals(new double[] {1, 3, 4, ONE_PLUS_ULP}, m.slice(1, 0, 3, 2).contiguous().toDoubleArray());
      Tensor f = Tensor.zeros(DType.F64, Device.CPU, 5);
      f.fill(1.0 / 3);
      assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3}, f.toDoubleArray());
    }
  }

  @Test
  void castsRoundOnce() {
    try (TensorScope s = TensorScope.open()) {
      double[] v = {ONE_PLUS_ULP, -2.5e-8, 1e10 + 0.75, -7.9};
      Tensor t = Tensor.of(v, v.length);
      float[] f32 = t.to(DType.F32).toFloatArray();
      for (int i = 0; i < v.length; i++) {
        assertEquals((float) v[i], f32[i], 0f, "F64 -> F32 element " + i);
      }
      assertArrayEquals(new long[] {1, 0, 10_000_000_000L, -7}, t.to(DType.I64).toLongArray());
      long big = (1L << 53) - 1;
      assertArrayEquals(new double[] {big, -3}, Tensor.ofLongs(new long[] {big, -3}, 2).to(DType.F64).toDoubleArray());
      Tensor b = Tensor.of(new float[] {1.5f, -0.1f}, 2).to(DType.BF16);
      assertArrayEquals(b.toDoubleArray(), b.to(DType.F64).toDoubleArray());
    }
  }

  /**
   * F64 -> BF16 rounds the double directly to nearest even, also where rounding to fp32 first would land on
   * a bf16 halfway point and then round the wrong way (Bf16.fromDouble and the native cast), against an
   * exact BigDecimal oracle.
   */
  @Test
  void f64ToBf16RoundsOnceToNearestEven() {
    SplittableRandom r = new SplittableRandom(Seeds.fresh("f64 to bf16"));
    int n = 2000;
    double[] v = new double[n];
    for (int i = 0; i < n; i += 2) {
      float lo = Bf16.toFloat((short) (r.nextInt(0x0080, 0x7f00)));  // a normal, finite bf16 value
      float hi = Bf16.toFloat((short) (Bf16.fromFloat(lo) + 1));
      double mid = ((double) lo + hi) / 2;  // exact in fp32: rounding through fp32 would land on it
      double sign = r.nextBoolean() ? 1 : -1;
      v[i] = sign * mid * (1 + 0x1p-40);
      v[i + 1] = sign * (i % 4 == 0 ? mid * (1 - 0x1p-40) : r.nextDouble(lo, hi));
    }
    short[] expected = new short[n];
    for (int i = 0; i < n; i++) {
      expected[i] = nearestEven(v[i]);
      assertEquals(expected[i], Bf16.fromDouble(v[i]), "Bf16.fromDouble(" + v[i] + ") (" + Seeds.describe() + ")");
    }
    try (TensorScope s = TensorScope.open()) {
      double[] got = Tensor.of(v, n).to(DType.BF16).toDoubleArray();
      for (int i = 0; i < n; i++) {
        assertEquals(Bf16.toFloat(expected[i]), got[i], 0.0, "native cast of " + v[i] + " (" + Seeds.describe() + ")");
      }
    }
  }

  /** The bf16 nearest to d (ties to the even pattern), by exact comparison of the neighbouring patterns. */
  private static short nearestEven(double d) {
    short near = Bf16.fromFloat((float) d);
    BigDecimal exact = new BigDecimal(d);
    short best = near;
    BigDecimal bestErr = null;
    for (int delta = -2; delta <= 2; delta++) {
      short c = (short) (near + delta);
      float cv = Bf16.toFloat(c);
      if (Float.isNaN(cv) || Float.isInfinite(cv) || Math.signum(cv) != Math.signum(d)) {
        continue;
      }
      BigDecimal err = new BigDecimal(cv).subtract(exact).abs();
      int cmp = bestErr == null ? -1 : err.compareTo(bestErr);
      if (cmp < 0 || (cmp == 0 && (c & 1) == 0)) {
        best = c;
        bestErr = err;
      }
    }
    return best;
  }

  @Test
  void randomDrawsDoubles() {
    try (TensorScope s = TensorScope.open()) {
      Tensor u = Tensor.uniform(DType.F64, Device.CPU, 11, -2, 3, 100_000);
      double[] uv = u.toDoubleArray();
      assertArrayEquals(uv, Tensor.uniform(DType.F64, Device.CPU, 11, -2, 3, 100_000).toDoubleArray());
      assertFalse(java.util.Arrays.equals(uv, Tensor.uniform(DType.F64, Device.CPU, 12, -2, 3, 100_000).toDoubleArray()));
      int notFloat = 0;
      double sum = 0;
      for (double x : uv) {
        assertTrue(x >= -2 && x < 3, "uniform value out of range: " + x);
        notFloat += x != (float) x ? 1 : 0;
        sum += x;
      }
      assertTrue(notFloat > uv.length * 0.99, "F64 uniforms should carry more than fp32's bits: " + notFloat);
      assertEquals(0.5, sum / uv.length, 0.02);
      double[] nv = Tensor.normal(DType.F64, Device.CPU, 5, 1, 2, 100_000).toDoubleArray();
      double m = java.util.Arrays.stream(nv).average().orElseThrow();
      double var = java.util.Arrays.stream(nv).map(x -> (x - m) * (x - m)).average().orElseThrow();
      assertEquals(1, m, 0.03);
      assertEquals(4, var, 0.1);
    }
  }
}

package io.statex.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views, lifetimes, dtype conversion and the counter-based generator on the CPU. */
class TensorTest {

  @Test
  void viewsShareStorageAndIndexCorrectly() {
    try (TensorScope scope = TensorScope.open()) {
      Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
      Tensor tr = t.transpose(0, 1);
      assertArrayEquals(new long[] {3, 2}, tr.shape());
      assertFalse(tr.isContiguous());
      assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, tr.toFloatArray());
      assertArrayEquals(new float[] {1, 2, 4, 5}, t.slice(1, 1, 3).toFloatArray());
      assertArrayEquals(new float[] {0, 2, 3, 5}, t.slice(1, 0, 3, 2).toFloatArray());
      assertArrayEquals(new float[] {3, 4, 5}, t.select(0, 1).toFloatArray());
      assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, Tensor.of(new float[] {0, 1, 2}, 3).expand(2, 3).toFloatArray());
      assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, tr.reshape(6).toFloatArray());
      assertArrayEquals(new long[] {2, 1, 3}, t.unsqueeze(1).shape());
      assertArrayEquals(new long[] {3, 2}, t.reshape(-1, 2).shape());
      assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.permute(1, 0).contiguous().toFloatArray());
      assertEquals(t.storage(), tr.storage());
    }
  }

  @Test
  void storageIsReleasedWhenTheLastViewCloses() {
    Tensor t = Tensor.zeros(DType.F32, Device.CPU, 4);
    Tensor v = t.view();
    Storage s = t.storage();
    assertEquals(2, s.refCount());
    t.close();
    t.close(); // closing twice is harmless
    assertEquals(1, s.refCount());
    v.close();
    assertEquals(0, s.refCount());
    assertThrows(IllegalStateException.class, t::address);
  }

  @Test
  void scopeClosesWhatItOwnsAndKeepsWhatIsKept() {
    Tensor kept;
    Tensor dropped;
    try (TensorScope outer = TensorScope.open()) {
      try (TensorScope inner = TensorScope.open()) {
        dropped = Tensor.zeros(DType.F32, Device.CPU, 3);
        kept = inner.keep(Tensor.zeros(DType.F32, Device.CPU, 3));
      }
      assertTrue(dropped.isClosed());
      assertFalse(kept.isClosed());
      assertEquals(1, outer.size());
    }
    assertTrue(kept.isClosed());
  }

  @Test
  void bf16RoundsToNearestEvenLikeTheKernels() {
    float[] values = {1.0f, 1.00390625f, 1.01171875f, -3.3f, 65504f, Float.MIN_NORMAL, 0f, -0f};
    try (Tensor t = Tensor.of(values, values.length);
        Tensor b = t.to(DType.BF16)) {
      float[] back = b.toFloatArray();
      for (int i = 0; i < values.length; i++) {
        assertEquals(Bf16.round(values[i]), back[i], 0.0f, "element " + i);
      }
    }
    assertEquals(1.0f, Bf16.round(1.00390625f)); // halfway, rounds to even
    assertTrue(Float.isNaN(Bf16.round(Float.NaN)));
  }

  @Test
  void integerAndFloatRoundTrips() {
    try (Tensor i = Tensor.ofLongs(new long[] {-5, 0, 7, 1L << 40}, 4);
        Tensor j = Tensor.ofInts(new int[] {3, -2}, 2)) {
      assertArrayEquals(new long[] {-5, 0, 7, 1L << 40}, i.toLongArray());
      assertArrayEquals(new int[] {3, -2}, j.toIntArray());
      assertArrayEquals(new float[] {3, -2}, j.toFloatArray());
    }
  }

  @Test
  void randomIsDeterministicPerSeedAndHasTheRightMoments() {
    try (Tensor a = Tensor.normal(DType.F32, Device.CPU, 42, 0, 1, 200_000);
        Tensor b = Tensor.normal(DType.F32, Device.CPU, 42, 0, 1, 200_000);
        Tensor c = Tensor.normal(DType.F32, Device.CPU, 43, 0, 1, 200_000);
        Tensor u = Tensor.uniform(DType.F32, Device.CPU, 7, -2, 3, 200_000)) {
      assertArrayEquals(a.toFloatArray(), b.toFloatArray());
      assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()));
      double[] m = moments(a.toFloatArray());
      assertEquals(0, m[0], 0.01);
      assertEquals(1, m[1], 0.01);
      double[] mu = moments(u.toFloatArray());
      assertEquals(0.5, mu[0], 0.02);
      assertEquals(25.0 / 12, mu[1], 0.03);
      for (float v : u.toFloatArray()) {
        assertTrue(v >= -2 && v < 3, "uniform value out of range: " + v);
      }
    }
  }

  private static double[] moments(float[] x) {
    double s = 0;
    double s2 = 0;
    for (float v : x) {
      s += v;
      s2 += (double) v * v;
    }
    double mean = s / x.length;
    return new double[] {mean, s2 / x.length - mean * mean};
  }

  @Test
  void badInputsAreClearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
    assertTrue(e.getMessage().contains("3 elements"), e.getMessage());
    try (Tensor t = Tensor.zeros(DType.F32, Device.CPU, 2, 3)) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2)).getMessage().contains("cannot become"));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> t.slice(1, 2, 5)).getMessage().contains("outside dimension 1"));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> t.transpose(0, 2)).getMessage().contains("axis 2"));
      assertTrue(assertThrows(IllegalArgumentException.class, () -> t.expand(3, 3)).getMessage().contains("cannot broadcast"));
    }
    assertThrows(IllegalArgumentException.class, () -> Tensor.empty(DType.F32, Device.CPU, -1));
    assertThrows(IllegalArgumentException.class, () -> Device.parse("tpu:0"));
    assertThrows(IllegalArgumentException.class, () -> DType.parse("f16"));
  }
}

package io.statex.kernels;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.testing.Seeds;
import java.util.SplittableRandom;

/**
 * Fresh random inputs for the kernel tests and the tensors that carry them. Every run draws new data
 * ({@link Seeds}: one base seed per run, one derived seed per case name); failure contexts print the base
 * seed so that a failure can be replayed.
 */
final class TestData {
  private TestData() {}

  static SplittableRandom random(String caseName) {
    return new SplittableRandom(Seeds.fresh(caseName));
  }

  /** "op[case] (base seed S (replay with ...))": the prefix of every failure message. */
  static String context(String op, Object testCase) {
    return op + "[" + testCase + "] (" + Seeds.describe() + ")";
  }

  static float[] normal(SplittableRandom rng, long count, double std) {
    float[] v = new float[Math.toIntExact(count)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (nextGaussian(rng) * std);
    }
    return v;
  }

  static float[] uniform(SplittableRandom rng, long count, double lo, double hi) {
    float[] v = new float[Math.toIntExact(count)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextDouble(lo, hi);
    }
    return v;
  }

  static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double nextGaussian(SplittableRandom rng) {
    double u = rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * A tensor of dtype on device holding values (rounded to dtype as the cast kernel rounds). With
   * misaligned, its first element sits one element past an aligned address, which keeps the kernels off
   * their 16-byte vector paths.
   */
  static Tensor upload(float[] values, DType dtype, Device device, boolean misaligned, long... shape) {
    Tensor t = allocate(dtype, device, misaligned, shape);
    try (Tensor host = Tensor.of(values, values.length); Tensor typed = host.to(dtype); Tensor flat = typed.reshape(shape)) {
      t.copyFrom(flat);
    }
    return t;
  }

  static Tensor uploadIndices(long[] values, DType idxDtype, Device device) {
    try (Tensor host = Tensor.ofLongs(values, values.length); Tensor typed = host.to(idxDtype)) {
      return typed.to(device);
    }
  }

  /** An output full of NaN (floats) or a sentinel (integers), so that unwritten elements show. */
  static Tensor poisoned(DType dtype, Device device, boolean misaligned, long... shape) {
    Tensor t = allocate(dtype, device, misaligned, shape);
    t.poison();
    return t;
  }

  /** The address of a small zeroed tensor owned by the open TensorScope: valid arguments for bad-input tests. */
  static long scratch(DType dtype, Device device, long... shape) {
    return Tensor.zeros(dtype, device, shape).address();
  }

  private static Tensor allocate(DType dtype, Device device, boolean misaligned, long... shape) {
    if (!misaligned) {
      return Tensor.empty(dtype, device, shape);
    }
    long numel = 1;
    for (long s : shape) {
      numel *= s;
    }
    try (Tensor flat = Tensor.empty(dtype, device, numel + 1); Tensor tail = flat.slice(0, 1, numel + 1)) {
      return tail.reshape(shape);
    }
  }
}

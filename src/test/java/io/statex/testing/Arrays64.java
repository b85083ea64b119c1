package io.statex.testing;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.Random;

/** Float64 test data and its tensors: values are rounded through the tensor's dtype so the reference sees them exactly. */
public final class Arrays64 {
  private Arrays64() {}

  public static double[] normal(Random r, int n, double std, double mean) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = mean + std * r.nextGaussian();
    }
    return v;
  }

  public static double[] uniform(Random r, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * r.nextDouble();
    }
    return v;
  }

  /** A tensor of dtype on device holding v (rounded to the dtype); null for null. */
  public static Tensor tensor(double[] v, DType dtype, Device device, long... shape) {
    if (v == null) {
      return null;
    }
    if (dtype == DType.F64) {
      return Tensor.of(v, shape).to(device);
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    Tensor cpu = Tensor.of(f, shape);
    Tensor typed = cpu.to(dtype);
    return typed.to(device);
  }

  /** v as the dtype stores it (bf16: round to nearest even, as the native code rounds; F64: v itself). */
  public static double[] rounded(double[] v, DType dtype) {
    if (v == null || dtype == DType.F64) {
      return v;
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return Tensor.of(f, v.length).to(dtype).toDoubleArray();
  }
}

package io.statex.ops;

import io.statex.reference.GlaReference;
import io.statex.tensor.Bf16;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.testing.Seeds;
import java.util.Random;

/**
 * Fresh random inputs and cotangents for one {@link GlaCase}, already rounded to the dtypes the
 * kernels see, so that the float64 reference and the kernels start from the same numbers.
 * q, k, v, h0, dO, dhT ~ N(0, 1); g = logsigmoid(u) / normalizer as the case's gate says.
 */
public record GlaData(GlaCase c, long seed, double[] q, double[] k, double[] v, double[] g, double[] h0,
    double[] dO, double[] dhT) {

  public static GlaData of(GlaCase c) {
    long seed = Seeds.fresh(c.toString());
    Random r = new Random(seed);
    long tk = (long) c.B() * c.T() * c.H() * c.K(), tv = (long) c.B() * c.T() * c.H() * c.V();
    int states = c.N() * c.H() * c.K() * c.V();
    double[] q = normal(r, tk, c.dtype()), k = normal(r, tk, c.dtype()), v = normal(r, tv, c.dtype());
    double[] g = new double[(int) tk];
    for (int i = 0; i < g.length; i++) g[i] = round(gate(r, c.gate()), c.gDtype());
    double[] h0 = c.h0() ? normal(r, states, c.dtype().wide()) : null;
    double[] dO = normal(r, tv, c.dtype());
    double[] dhT = c.hT() ? normal(r, states, c.dtype().wide()) : null;
    return new GlaData(c, seed, q, k, v, g, h0, dO, dhT);
  }

  /** The case and how to replay its values. */
  public String describe() {
    return c + " (" + Seeds.describe() + ")";
  }

  public GlaReference.Dims dims() {
    return new GlaReference.Dims(c.B(), c.T(), c.H(), c.K(), c.V(), c.cuSeqlens());
  }

  public GlaReference.Outputs reference() {
    return GlaReference.forward(dims(), c.scale(), q, k, v, g, h0);
  }

  public GlaReference.Grads referenceGrads() {
    return GlaReference.backward(dims(), c.scale(), q, k, v, g, h0, dO, dhT);
  }

  /** The inputs as tensors on a device (the caller closes them, or a TensorScope does). */
  public record Tensors(Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0, Tensor cu, Tensor dO, Tensor dhT) {}

  public Tensors tensors(Device device) {
    long[] sk = {c.B(), c.T(), c.H(), c.K()}, sv = {c.B(), c.T(), c.H(), c.V()};
    long[] ss = {c.N(), c.H(), c.K(), c.V()};
    long[] cu = c.cuSeqlens();
    return new Tensors(tensor(q, c.dtype(), device, sk), tensor(k, c.dtype(), device, sk),
        tensor(v, c.dtype(), device, sv), tensor(g, c.gDtype(), device, sk),
        h0 == null ? null : tensor(h0, c.dtype().wide(), device, ss),
        cu == null ? null : moved(Tensor.ofLongs(cu, cu.length), device),
        dO == null ? null : tensor(dO, c.dtype(), device, sv),
        dhT == null ? null : tensor(dhT, c.dtype().wide(), device, ss));
  }

  /** values (exactly representable in dtype) as a tensor of that dtype on device. */
  static Tensor tensor(double[] values, DType dtype, Device device, long... shape) {
    if (dtype == DType.F64) {
      return moved(Tensor.of(values, shape), device);
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
    try (Tensor host = Tensor.of(f, shape)) {
      return moved(host.to(dtype), device);
    }
  }

  private static Tensor moved(Tensor t, Device device) {
    if (t.device().equals(device)) {
      return t;
    }
    try (t) {
      return t.to(device);
    }
  }

  static double gate(Random r, GlaCase.Gate gate) {
    return switch (gate) {
      case WEAK -> logSigmoid(r.nextGaussian()) / 16;
      case STRONG -> logSigmoid(r.nextDouble()) / 0.1;
      case MIXED -> logSigmoid(2 * r.nextGaussian());
    };
  }

  static double logSigmoid(double x) {
    return -Math.log1p(Math.exp(-x));
  }

  static double[] normal(Random r, long n, DType dtype) {
    double[] a = new double[Math.toIntExact(n)];
    for (int i = 0; i < a.length; i++) a[i] = round(r.nextGaussian(), dtype);
    return a;
  }

  static double round(double x, DType dtype) {
    return switch (dtype) {
      case F64 -> x;
      case F32 -> (float) x;
      default -> Bf16.round((float) x);
    };
  }
}

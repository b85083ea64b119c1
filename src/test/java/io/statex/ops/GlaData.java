package io.statex.ops;

import io.statex.reference.GlaReference;
import io.statex.testing.Bf16;
import io.statex.testing.Tolerance;
import java.util.Random;

/**
 * Fresh random inputs and cotangents for one {@link GlaCase}, already rounded to the dtypes the
 * kernels see, so that the float64 reference and the kernels start from the same numbers.
 * q, k, v, h0, d_o, dhT ~ N(0, 1); g = logsigmoid(u) / normalizer as the case's gate says.
 */
public record GlaData(GlaCase c, double[] q, double[] k, double[] v, double[] g, double[] h0, double[] dO,
    double[] dhT) {

  public static GlaData of(GlaCase c) {
    Random r = new Random(c.seed() * 1_000_003L + c.toString().hashCode());
    long tk = (long) c.B() * c.T() * c.H() * c.K(), tv = (long) c.B() * c.T() * c.H() * c.V();
    int states = c.N() * c.H() * c.K() * c.V();
    double[] q = normal(r, tk, c.dtype()), k = normal(r, tk, c.dtype()), v = normal(r, tv, c.dtype());
    double[] g = new double[(int) tk];
    for (int i = 0; i < g.length; i++) g[i] = round(gate(r, c.gate()), c.gDtype());
    double[] h0 = c.h0() ? normal(r, states, Tolerance.F32) : null;
    double[] dO = normal(r, tv, c.dtype());
    double[] dhT = c.hT() ? normal(r, states, Tolerance.F32) : null;
    return new GlaData(c, q, k, v, g, h0, dO, dhT);
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

  static double[] normal(Random r, long n, int dtype) {
    double[] a = new double[Math.toIntExact(n)];
    for (int i = 0; i < a.length; i++) a[i] = round(r.nextGaussian(), dtype);
    return a;
  }

  static double round(double x, int dtype) {
    return dtype == Tolerance.F32 ? (float) x : Bf16.round(x);
  }
}

package io.statex.statex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.autograd.NoGrad;
import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.nn.Compute;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.Parameter;
import io.statex.ops.MatMul;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Tiny source models with every parameter perturbed, and the checks the expansion tests share. */
final class ExpandFixtures {
  static final int B = 2, T = 19;

  private ExpandFixtures() {}

  /**
   * A model with its reference initialisation plus U(-0.1, 0.1) noise on every element: norms and
   * biases are then neither ones nor zeros, so a kept value and a reset one differ.
   */
  static LanguageModel perturbed(ModelConfig cfg, long seed) {
    LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, seed));
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    for (Parameter p : m.parameters()) {
      float[] v = p.value().toFloatArray();
      for (int i = 0; i < v.length; i++) {
        v[i] += (float) rnd.nextDouble(-0.1, 0.1);
      }
      set(p, v);
    }
    return m;
  }

  static Init init(long seed) {
    return new Init(DType.F32, Device.CPU, seed);
  }

  static void set(Parameter p, float[] v) {
    try (Tensor host = Tensor.of(v, p.value().shape())) {
      p.value().copyFrom(host);
    }
  }

  static float[] values(LanguageModel m, String name) {
    Parameter p = m.namedParameters().get(name);
    if (p == null) {
      fail("no parameter " + name);
    }
    return p.value().toFloatArray();
  }

  static Map<String, float[]> snapshot(LanguageModel m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    m.namedParameters().forEach((n, p) -> out.put(n, p.value().toFloatArray()));
    return out;
  }

  /** Same length and the same bits in every element (and no NaN). */
  static void assertBits(String what, float[] want, float[] got) {
    assertEquals(want.length, got.length, what + ": length (" + Seeds.describe() + ")");
    for (int i = 0; i < want.length; i++) {
      if (Float.isNaN(got[i]) || Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
        fail(what + ": element " + i + " is " + got[i] + ", expected " + want[i] + " (" + Seeds.describe() + ")");
      }
    }
  }

  /** Every element equals value exactly. */
  static void assertAll(String what, float[] got, float value) {
    for (int i = 0; i < got.length; i++) {
      if (got[i] != value) {
        fail(what + ": element " + i + " is " + got[i] + ", expected " + value + " (" + Seeds.describe() + ")");
      }
    }
  }

  /**
   * The largest magnitude an fp32 draw from U(-bound, bound) can hold: the fill runs in fp32 from the
   * bound rounded to the nearest float, a + (b - a) u with u in [0, 1) reaches -a exactly at u = 0,
   * and rounding is monotone, so no stored value exceeds (float) bound, which may sit half an ulp
   * above bound itself.
   */
  static double storedBound(double bound) {
    return (float) bound;
  }

  /**
   * Values drawn from U(-bound, bound): none outside; the largest magnitude above q bound, with q
   * chosen so that n uniform draws all stay below it with probability 1e-9 (q^n = 1e-9); and not a
   * copy of the source's values.
   */
  static void assertUniform(String what, float[] got, double bound, float[] source) {
    double limit = storedBound(bound);
    assertTrue(got.length >= 32, what + ": too few elements (" + got.length + ") to test a distribution");
    double q = Math.pow(1e-9, 1.0 / got.length);
    double max = 0;
    for (float x : got) {
      assertTrue(Math.abs(x) <= limit, what + ": " + x + " is outside +-" + bound + " (" + Seeds.describe() + ")");
      max = Math.max(max, Math.abs(x));
    }
    assertTrue(max > q * bound, what + ": largest |value| " + max + " is below " + q + " x the bound " + bound + " ("
        + Seeds.describe() + ")");
    if (source != null && source.length == got.length) {
      assertTrue(!java.util.Arrays.equals(source, got), what + ": equals the source's values");
    }
  }

  /** Random ids [B, T] below vocab. */
  static int[] ids(long seed, long vocab) {
    return new SplittableRandom(seed).ints((long) B * T, 0, (int) vocab).toArray();
  }

  /** The logits [B, T, vocab] of ids. */
  static float[] logits(LanguageModel m, int[] ids) {
    try (TensorScope scope = TensorScope.open();
        NoGrad off = NoGrad.enter()) {
      Var h = m.hidden(Tensor.ofInts(ids, B, T), Compute.f32());
      return MatMul.matmul(h.value(), m.headWeight().value(), false, true).toFloatArray();
    }
  }

  /** The logits [B, T, vocab] of random ids under the source and under its expansion by spec: {before, after}. */
  static float[][] logitsBeforeAndAfter(LanguageModel src, ExpandSpec spec, long seed) {
    int[] ids = ids(seed, src.config().vocabSize());
    float[] before = logits(src, ids);
    try (LanguageModel out = StateX.expand(src, spec, init(seed + 1))) {
      return new float[][] {before, logits(out, ids)};
    }
  }

  static double[] toDouble(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  /** Forward and backward of the next-token loss; every parameter's gradient (null if none). */
  static Map<String, float[]> gradients(LanguageModel m, long seed) {
    long vocab = m.config().vocabSize();
    int[] ids = ids(seed, vocab);
    int[] targets = new SplittableRandom(seed + 1).ints((long) B * T, 0, (int) vocab).toArray();
    Map<String, float[]> out = new LinkedHashMap<>();
    try (TensorScope scope = TensorScope.open();
        Tape tape = Tape.open()) {
      Var loss = m.loss(Tensor.ofInts(ids, B, T), targets, Compute.f32());
      double l = loss.value().item();
      assertTrue(Double.isFinite(l), "loss is " + l + " (" + Seeds.describe() + ")");
      tape.backward(loss);
    }
    m.namedParameters().forEach((name, p) -> {
      out.put(name, p.grad() == null ? null : p.grad().toFloatArray());
      p.var().releaseGrad();
    });
    return out;
  }

  /** Every parameter got a finite gradient, not all zero. */
  static void assertEveryParameterLearns(LanguageModel m, long seed) {
    gradients(m, seed).forEach((name, g) -> {
      assertTrue(g != null, name + " got no gradient (" + Seeds.describe() + ")");
      double s = 0;
      for (float x : g) {
        assertTrue(Float.isFinite(x), name + ": gradient element " + x + " (" + Seeds.describe() + ")");
        s += (double) x * x;
      }
      assertTrue(s > 0, name + ": the gradient is all zero (" + Seeds.describe() + ")");
    });
  }
}

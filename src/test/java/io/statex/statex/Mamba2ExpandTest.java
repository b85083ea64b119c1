package io.statex.statex;

import static io.statex.statex.ExpandFixtures.assertAll;
import static io.statex.statex.ExpandFixtures.assertBits;
import static io.statex.statex.ExpandFixtures.assertUniform;
import static io.statex.statex.ExpandFixtures.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Compare;
import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mamba2 d_state expansion on tiny models (4 layers, d = 32, d_inner 64, 4 heads of P = 16,
 * N = 8, conv 4) with one or two groups of B and C, every parameter perturbed. The expected rows of
 * in_proj and the conv are written out here element by element from research notes statex.md 2.3
 * and 2.4, independently of the implementation's slicing.
 */
class Mamba2ExpandTest {
  private static final int LAYERS = 4, D = 32, I = 64, P = 16, H = 4, N = 8, W = 4, VOCAB = 37;
  private static final List<Integer> SELECTED = List.of(0, 3);
  /** Marks in the expected-row maps: a zero row, a freshly drawn row. */
  private static final int ZERO = -1, FRESH = -2;

  private static ModelConfig config(int groups) {
    Mamba2LayerConfig l = new Mamba2LayerConfig(I, P, N, groups, W, 256, 0.001, 0.1, 1e-4, 1, 16, 1e-5);
    return new ModelConfig(ModelConfig.Family.MAMBA2, VOCAB, D, Collections.nCopies(LAYERS, l), 0, true, 1e-5, 0.02);
  }

  private static String mixer(int layer, String rest) {
    return "backbone.layers." + layer + ".mixer." + rest;
  }

  @ParameterizedTest(name = "{0}-G{1}-x{2}")
  @CsvSource({"reinit,1,4", "inherit,1,4", "inherit-zero,1,4", "reinit,2,3", "inherit,2,3", "inherit-zero,2,3"})
  void expandsDStateAndFillsEachRowAsTheReference(String policyName, int groups, int f) {
    InitPolicy policy = InitPolicy.parse(policyName);
    long seed = Seeds.fresh("mamba2-" + policyName + "-" + groups + "-" + f);
    try (LanguageModel src = ExpandFixtures.perturbed(config(groups), seed)) {
      Map<String, float[]> before = ExpandFixtures.snapshot(src);
      ExpandSpec spec = new ExpandSpec(LayerSelection.of(3, 0), 1, f, policy);
      try (LanguageModel out = StateX.expand(src, spec, ExpandFixtures.init(seed + 1))) {
        for (int i = 0; i < LAYERS; i++) {
          Mamba2LayerConfig l = (Mamba2LayerConfig) out.config().layers().get(i);
          assertEquals(SELECTED.contains(i) ? N * f : N, l.dState(), "layer " + i + " d_state");
          Mamba2LayerConfig was = (Mamba2LayerConfig) src.config().layers().get(i);
          assertEquals(SELECTED.contains(i) ? was.expandState(f) : was, l, "layer " + i + " config");
        }
        for (int i : SELECTED) {
          long gfn = (long) groups * f * N;
          assertArrayEquals(new long[] {2 * I + 2 * gfn + H, D}, out.namedParameters().get(mixer(i, "in_proj.weight")).value().shape());
          assertArrayEquals(new long[] {I + 2 * gfn, 1, W}, out.namedParameters().get(mixer(i, "conv1d.weight")).value().shape());
          assertArrayEquals(new long[] {I + 2 * gfn}, out.namedParameters().get(mixer(i, "conv1d.bias")).value().shape());
          int[] inRows = expectedRows(2 * I, groups, f, policy, true);
          int[] convRows = expectedRows(I, groups, f, policy, false);
          assertRows(mixer(i, "in_proj.weight"), before, out, inRows, D, 1 / Math.sqrt(D));
          assertRows(mixer(i, "conv1d.weight"), before, out, convRows, W, 0.5);
          assertRows(mixer(i, "conv1d.bias"), before, out, convRows, 1, 0.5);
          assertAll(mixer(i, "dt_bias"), values(out, mixer(i, "dt_bias")), 1f);
          assertAll(mixer(i, "norm.weight"), values(out, mixer(i, "norm.weight")), 1f);
          float[] aLog = values(out, mixer(i, "A_log"));
          for (int h = 0; h < H; h++) {
            assertEquals((float) Math.log(h + 1), aLog[h], 0f, mixer(i, "A_log") + "[" + h + "] (A = -" + (h + 1) + ")");
          }
        }
        out.namedParameters().forEach((name, p) -> {
          boolean reset = SELECTED.contains(GlaExpandTest.layerOf(name)) && name.contains(".mixer.")
              && !name.endsWith(".mixer.D") && !name.endsWith(".out_proj.weight");
          if (!reset) {
            assertBits(name, before.get(name), p.value().toFloatArray());
          }
        });
      }
      GlaExpandTest.assertSourceUntouched(before, src);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"reinit", "inherit"})
  void theExpandedModelRunsForwardAndBackward(String policy) {
    long seed = Seeds.fresh("mamba2-train-" + policy);
    try (LanguageModel src = ExpandFixtures.perturbed(config(1), seed);
        LanguageModel out = StateX.expand(src, ExpandSpec.defaults(LayerSelection.every(3)).withPolicy(InitPolicy.parse(policy)),
            ExpandFixtures.init(seed + 1))) {
      ExpandFixtures.assertEveryParameterLearns(out, seed + 2);
    }
  }

  /**
   * inherit-zero trains, but its padded B and C rows sit at a saddle: a zero B channel leaves its
   * state column zero, so the matching C channel gets no gradient, and a zero C channel gives the B
   * channel none. Their gradients are exactly zero (docs/statex.md).
   */
  @org.junit.jupiter.api.Test
  void inheritZeroPaddedRowsGetExactlyZeroGradient() {
    long seed = Seeds.fresh("mamba2-train-zero");
    int f = 4;
    try (LanguageModel src = ExpandFixtures.perturbed(config(1), seed);
        LanguageModel out = StateX.expand(src, ExpandSpec.defaults(LayerSelection.every(3)).withPolicy(InitPolicy.INHERIT_ZERO),
            ExpandFixtures.init(seed + 1))) {
      Map<String, float[]> grads = ExpandFixtures.gradients(out, seed + 2);
      grads.forEach((name, g) -> assertTrue(g != null && norm(g) > 0, name + " got no gradient (" + Seeds.describe() + ")"));
      for (int i : SELECTED) {
        assertZeroOnPadding(mixer(i, "in_proj.weight"), grads, expectedRows(2 * I, 1, f, InitPolicy.INHERIT_ZERO, true), D);
        assertZeroOnPadding(mixer(i, "conv1d.weight"), grads, expectedRows(I, 1, f, InitPolicy.INHERIT_ZERO, false), W);
        assertZeroOnPadding(mixer(i, "conv1d.bias"), grads, expectedRows(I, 1, f, InitPolicy.INHERIT_ZERO, false), 1);
      }
    }
  }

  private static void assertZeroOnPadding(String name, Map<String, float[]> grads, int[] rows, int width) {
    float[] g = grads.get(name);
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < width && rows[r] == ZERO; c++) {
        if (g[r * width + c] != 0) {
          fail(name + " padded row " + r + " has gradient " + g[r * width + c] + " (" + Seeds.describe() + ")");
        }
      }
    }
  }

  @ParameterizedTest(name = "G{0}")
  @ValueSource(ints = {1, 2})
  void inheritWithFactorOneReproducesTheSourceLogitsExactly(int groups) {
    long seed = Seeds.fresh("mamba2-noop-" + groups);
    try (LanguageModel src = ExpandFixtures.perturbed(config(groups), seed)) {
      resetAsTheReference(src);
      ExpandSpec spec = new ExpandSpec(LayerSelection.every(1), 1, 1, InitPolicy.INHERIT);
      assertEquals(src.config(), StateX.expandConfig(src.config(), spec));
      float[][] logits = ExpandFixtures.logitsBeforeAndAfter(src, spec, seed);
      assertBits("logits", logits[0], logits[1]);
    }
  }

  @ParameterizedTest(name = "G{0}")
  @ValueSource(ints = {1, 2})
  void inheritZeroPreservesTheFunctionApartFromTheResets(int groups) {
    long seed = Seeds.fresh("mamba2-zero-fn-" + groups);
    try (LanguageModel src = ExpandFixtures.perturbed(config(groups), seed)) {
      resetAsTheReference(src);
      ExpandSpec spec = new ExpandSpec(LayerSelection.every(1), 1, 4, InitPolicy.INHERIT_ZERO);
      float[][] logits = ExpandFixtures.logitsBeforeAndAfter(src, spec, seed);
      Compare.assertClose("logits (" + Seeds.describe() + ")", ExpandFixtures.toDouble(logits[0]),
          ExpandFixtures.toDouble(logits[1]), DType.F32);
    }
  }

  /**
   * --no-reset keeps the selected layers' dt_bias, A_log and gated-norm weight from the source, bit
   * for bit; every other element is what the same expansion with the resets writes.
   */
  @ParameterizedTest(name = "{0}-G{1}")
  @CsvSource({"reinit,1", "inherit,1", "inherit-zero,2"})
  void noResetKeepsDtBiasALogAndTheGatedNorm(String policyName, int groups) {
    long seed = Seeds.fresh("mamba2-no-reset-" + policyName + "-" + groups);
    try (LanguageModel src = ExpandFixtures.perturbed(config(groups), seed)) {
      ExpandSpec withResets = new ExpandSpec(LayerSelection.of(3, 0), 1, 4, InitPolicy.parse(policyName));
      try (LanguageModel reset = StateX.expand(src, withResets, ExpandFixtures.init(seed + 1));
          LanguageModel kept = StateX.expand(src, withResets.withReset(false), ExpandFixtures.init(seed + 1))) {
        List<String> resettable = new ArrayList<>();
        for (int i : SELECTED) {
          resettable.addAll(List.of(mixer(i, "dt_bias"), mixer(i, "A_log"), mixer(i, "norm.weight")));
        }
        kept.namedParameters().forEach((name, p) -> assertBits(name,
            values(resettable.contains(name) ? src : reset, name), p.value().toFloatArray()));
      }
    }
  }

  /** Without the resets, inherit-zero preserves the function of any source, not only of one that has the reset values. */
  @ParameterizedTest(name = "G{0}")
  @ValueSource(ints = {1, 2})
  void inheritZeroWithoutResetPreservesTheFunction(int groups) {
    long seed = Seeds.fresh("mamba2-zero-no-reset-" + groups);
    try (LanguageModel src = ExpandFixtures.perturbed(config(groups), seed)) {
      ExpandSpec spec = new ExpandSpec(LayerSelection.every(1), 1, 4, InitPolicy.INHERIT_ZERO, false);
      float[][] logits = ExpandFixtures.logitsBeforeAndAfter(src, spec, seed);
      Compare.assertClose("logits (" + Seeds.describe() + ")", ExpandFixtures.toDouble(logits[0]),
          ExpandFixtures.toDouble(logits[1]), DType.F32);
    }
  }

  @ParameterizedTest(name = "G{0}")
  @ValueSource(ints = {1, 2})
  void parameterCountsFromConfigsMatchTheModels(int groups) {
    long seed = Seeds.fresh("mamba2-count-" + groups);
    ExpandSpec spec = ExpandSpec.defaults(LayerSelection.every(3));
    try (LanguageModel src = LanguageModel.create(config(groups), ExpandFixtures.init(seed));
        LanguageModel out = StateX.expand(src, spec, ExpandFixtures.init(seed))) {
      assertEquals(src.parameterCount(), ParameterCounts.model(src.config()));
      assertEquals(out.parameterCount(), ParameterCounts.model(out.config()));
      // 3GN new rows of B and C in in_proj (d columns each) and in the conv (W weights + 1 bias each)
      long added = 2L * 3 * groups * N * (D + W + 1);
      assertEquals(SELECTED.size() * added, out.parameterCount() - src.parameterCount());
      assertEquals(SELECTED.size() * added, StateX.report(src.config(), spec).paramDelta());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"reinit", "inherit", "inherit-zero"})
  void aBf16ModelExpandsInBf16(String policy) {
    long seed = Seeds.fresh("mamba2-bf16-" + policy);
    Init bf16 = new Init(DType.BF16, Device.CPU, seed);
    ExpandSpec spec = ExpandSpec.defaults(LayerSelection.every(3)).withPolicy(InitPolicy.parse(policy));
    try (LanguageModel src = LanguageModel.create(config(1), bf16);
        LanguageModel out = StateX.expand(src, spec, bf16)) {
      out.namedParameters().forEach((n, p) -> assertEquals(DType.BF16, p.value().dtype(), n));
      float[] aLog = values(out, mixer(0, "A_log"));
      for (int h = 0; h < H; h++) {
        // ln(h + 1) rounded once to bf16 (8 significant bits, nearest even), as torch.log in bf16
        float want = Float.intBitsToFloat(roundToBf16Bits((float) Math.log(h + 1)));
        assertEquals(want, aLog[h], 0f, "A_log[" + h + "]");
      }
      assertBits("out_proj", values(src, mixer(0, "out_proj.weight")), values(out, mixer(0, "out_proj.weight")));
    }
  }

  private static int roundToBf16Bits(float x) {
    int bits = Float.floatToRawIntBits(x);
    return (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000;
  }

  @org.junit.jupiter.api.Test
  void anOverflowingFactorIsRejected() {
    // a config read from a file may carry any d_state; the expanded one must not wrap around
    Mamba2LayerConfig huge = new Mamba2LayerConfig(I, P, 1L << 60, 1, W, 256, 0.001, 0.1, 1e-4, 1, 16, 1e-5);
    ModelConfig cfg = config(1).withLayer(1, huge);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> StateX.expandConfig(cfg, new ExpandSpec(LayerSelection.every(1), 1, 4, InitPolicy.REINIT)));
    assertTrue(e.getMessage().contains("stateFactor"), e.getMessage());
  }

  /**
   * Where each row (dimension 0) of the expanded in_proj (base = 2I, then dt) or conv (base = I)
   * comes from: a source row index, {@link #ZERO} or {@link #FRESH}.
   */
  private static int[] expectedRows(int base, int groups, int f, InitPolicy policy, boolean dt) {
    List<Integer> rows = new ArrayList<>();
    for (int r = 0; r < base; r++) {
      rows.add(r);                                   // z and x, or the conv's x channels
    }
    int gn = groups * N;
    for (int block = 0; block < 2; block++) {        // B, then C
      for (int g = 0; g < groups; g++) {
        for (int j = 0; j < f * N; j++) {
          int old = base + block * gn + g * N + j % N;
          rows.add(switch (policy) {
            case REINIT -> FRESH;
            case INHERIT -> old;
            case INHERIT_ZERO -> j < N ? old : ZERO;
          });
        }
      }
    }
    if (dt) {
      for (int h = 0; h < H; h++) {
        rows.add(base + 2 * gn + h);
      }
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Each row as expectedRows says: copied bits, zeros, or fresh U(+-bound) values. */
  private static void assertRows(String name, Map<String, float[]> before, LanguageModel out, int[] rows, int width,
      double bound) {
    float[] old = before.get(name), got = values(out, name);
    assertEquals((long) rows.length * width, got.length, name + " size");
    List<Float> fresh = new ArrayList<>();
    for (int r = 0; r < rows.length; r++) {
      for (int c = 0; c < width; c++) {
        float x = got[r * width + c];
        if (rows[r] == FRESH) {
          fresh.add(x);
        } else {
          float want = rows[r] == ZERO ? 0f : old[rows[r] * width + c];
          if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(x)) {
            fail(name + " row " + r + " column " + c + " is " + x + ", expected " + want
                + (rows[r] == ZERO ? " (padding)" : " (source row " + rows[r] + ")") + " (" + Seeds.describe() + ")");
          }
        }
      }
    }
    if (!fresh.isEmpty()) {
      float[] v = new float[fresh.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = fresh.get(k);
      }
      assertUniform(name + " fresh rows", v, bound, null);
    }
  }

  /** Sets what every policy resets to the reset values: dt_bias 1, A_log ln(1..H), norm 1. */
  private static void resetAsTheReference(LanguageModel m) {
    for (int i = 0; i < LAYERS; i++) {
      m.namedParameters().get(mixer(i, "dt_bias")).value().fill(1);
      m.namedParameters().get(mixer(i, "norm.weight")).value().fill(1);
      float[] a = new float[H];
      for (int h = 0; h < H; h++) {
        a[h] = (float) Math.log(h + 1);
      }
      ExpandFixtures.set(m.namedParameters().get(mixer(i, "A_log")), a);
    }
  }

  private static double norm(float[] g) {
    double s = 0;
    for (float x : g) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }
}

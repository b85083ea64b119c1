package io.statex.statex;

import static io.statex.statex.ExpandFixtures.assertAll;
import static io.statex.statex.ExpandFixtures.assertBits;
import static io.statex.statex.ExpandFixtures.assertUniform;
import static io.statex.statex.ExpandFixtures.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.nn.GlaLayerConfig;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GLA head merging on tiny models (5 layers, 4 heads of K = 16, V = 32) with perturbed parameters. */
class GlaExpandTest {
  private static final int LAYERS = 5, HEADS = 4, HIDDEN = 128, KEY = 64, VALUE = 128;
  private static final List<Integer> SELECTED = List.of(0, 2, 4);
  private static final String[] LINEARS = {"q_proj", "k_proj", "v_proj", "g_proj", "gk_proj.0", "gk_proj.1", "o_proj"};

  private static ModelConfig config(int convSize) {
    return ModelPresets.gla(41, HIDDEN, LAYERS, HEADS, 2, false, convSize);
  }

  private static String attn(int layer, String rest) {
    return "model.layers." + layer + ".attn." + rest;
  }

  @Test
  void theXavierGainGivesTheReferenceBoundsAtGla13b() {
    // research notes statex.md 1.2: q_proj / k_proj 2048 -> 1024 have bound 2^-7 exactly.
    assertEquals(Math.pow(2, -7), GlaExpansion.XAVIER_GAIN * Math.sqrt(6.0 / (2048 + 1024)), 1e-16);
    assertEquals(0.0067658, GlaExpansion.XAVIER_GAIN * Math.sqrt(6.0 / (2048 + 2048)), 5e-8);
    assertEquals(0.009531, GlaExpansion.XAVIER_GAIN * Math.sqrt(6.0 / (2048 + 16)), 5e-7);
  }

  @ParameterizedTest(name = "conv{0}")
  @ValueSource(ints = {0, 4})
  void reinitRebuildsTheSelectedMixersAndCopiesTheRest(int conv) {
    long seed = Seeds.fresh("gla-reinit-" + conv);
    try (LanguageModel src = ExpandFixtures.perturbed(config(conv), seed)) {
      Map<String, float[]> before = ExpandFixtures.snapshot(src);
      ExpandSpec spec = ExpandSpec.defaults(LayerSelection.every(2));
      try (LanguageModel out = StateX.expand(src, spec, ExpandFixtures.init(seed + 1))) {
        assertConfig(out.config(), conv, 1);
        assertShapes(src, out, 1);
        for (int i : SELECTED) {
          String p = "model.layers." + i + ".";
          assertAll(p + "attn_norm.weight", values(out, p + "attn_norm.weight"), 1f);
          assertAll(attn(i, "g_norm_swish_gate.weight"), values(out, attn(i, "g_norm_swish_gate.weight")), 1f);
          assertAll(attn(i, "gk_proj.1.bias"), values(out, attn(i, "gk_proj.1.bias")), 0f);
          for (String lin : LINEARS) {
            String name = attn(i, lin + ".weight");
            long[] shape = out.namedParameters().get(name).value().shape();
            double bound = Math.pow(2, -2.5) * Math.sqrt(6.0 / (shape[0] + shape[1]));
            assertUniform(name, values(out, name), bound, before.get(name));
          }
          for (String c : conv == 0 ? new String[0] : new String[] {"q_conv1d", "k_conv1d", "v_conv1d"}) {
            String name = attn(i, c + ".weight");
            assertUniform(name, values(out, name), 1 / Math.sqrt(conv), before.get(name));
          }
        }
        assertKeptOutsideTheMixers(before, out);
      }
      assertSourceUntouched(before, src);
    }
  }

  @ParameterizedTest(name = "conv{0}-into{1}")
  @CsvSource({"0,1", "4,1", "0,2", "4,4"})
  void inheritKeepsEveryProjectionAndTilesTheGateNorm(int conv, int into) {
    long seed = Seeds.fresh("gla-inherit-" + conv + "-" + into);
    try (LanguageModel src = ExpandFixtures.perturbed(config(conv), seed)) {
      Map<String, float[]> before = ExpandFixtures.snapshot(src);
      ExpandSpec spec = new ExpandSpec(LayerSelection.of(4, 0, 2), into, 4, InitPolicy.INHERIT);
      try (LanguageModel out = StateX.expand(src, spec, ExpandFixtures.init(seed + 1))) {
        assertConfig(out.config(), conv, into);
        assertShapes(src, out, into);
        int oldV = VALUE / HEADS, newV = VALUE / into;
        for (int i : SELECTED) {
          assertAll("layer " + i + " attn_norm", values(out, "model.layers." + i + ".attn_norm.weight"), 1f);
          float[] old = before.get(attn(i, "g_norm_swish_gate.weight"));
          float[] want = new float[newV];
          for (int j = 0; j < newV; j++) {
            want[j] = old[j % oldV];   // torch's weight.repeat(heads / into)
          }
          assertBits(attn(i, "g_norm_swish_gate.weight"), want, values(out, attn(i, "g_norm_swish_gate.weight")));
          out.namedParameters().forEach((name, p) -> {
            if (name.startsWith(attn(i, "")) && !name.endsWith("g_norm_swish_gate.weight")) {
              assertBits(name, before.get(name), p.value().toFloatArray());
            }
          });
        }
        assertKeptOutsideTheMixers(before, out);
      }
      assertSourceUntouched(before, src);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"reinit", "inherit"})
  void theExpandedModelRunsForwardAndBackward(String policy) {
    long seed = Seeds.fresh("gla-train-" + policy);
    try (LanguageModel src = ExpandFixtures.perturbed(config(4), seed);
        LanguageModel out = StateX.expand(src, ExpandSpec.defaults(LayerSelection.every(2)).withPolicy(InitPolicy.parse(policy)),
            ExpandFixtures.init(seed + 1))) {
      ExpandFixtures.assertEveryParameterLearns(out, seed + 2);
    }
  }

  @ParameterizedTest(name = "conv{0}")
  @ValueSource(ints = {0, 4})
  void inheritWithoutMergingReproducesTheSourceLogitsExactly(int conv) {
    long seed = Seeds.fresh("gla-noop-" + conv);
    try (LanguageModel src = ExpandFixtures.perturbed(config(conv), seed)) {
      // inherit still resets attn_norm (as the reference): give the source ones there first.
      for (int i = 0; i < LAYERS; i++) {
        src.namedParameters().get("model.layers." + i + ".attn_norm.weight").value().fill(1);
      }
      ExpandSpec spec = new ExpandSpec(LayerSelection.every(1), HEADS, 4, InitPolicy.INHERIT);
      assertEquals(src.config(), StateX.expandConfig(src.config(), spec));
      float[][] logits = ExpandFixtures.logitsBeforeAndAfter(src, spec, seed);
      assertBits("logits", logits[0], logits[1]);
    }
  }

  @ParameterizedTest(name = "conv{0}")
  @ValueSource(ints = {0, 4})
  void parameterCountsFromConfigsMatchTheModels(int conv) {
    long seed = Seeds.fresh("gla-count-" + conv);
    for (boolean tie : new boolean[] {false, true}) {
      ModelConfig cfg = ModelPresets.gla(41, HIDDEN, LAYERS, HEADS, 2, tie, conv);
      try (LanguageModel src = LanguageModel.create(cfg, ExpandFixtures.init(seed));
          LanguageModel out = StateX.expand(src, ExpandSpec.defaults(LayerSelection.every(2)), ExpandFixtures.init(seed))) {
        assertEquals(src.parameterCount(), ParameterCounts.model(cfg));
        assertEquals(out.parameterCount(), ParameterCounts.model(out.config()));
        ExpandReport r = StateX.report(cfg, ExpandSpec.defaults(LayerSelection.every(2)));
        assertEquals(out.parameterCount() - src.parameterCount(), r.paramDelta());
        // the gate norm grows from V = 32 to 128 in each of the 3 selected layers
        assertEquals(3 * (128 - 32), r.paramDelta());
      }
    }
  }

  @Test
  void badSpecsAreRejectedNamingTheProblem() {
    long seed = Seeds.fresh("gla-bad");
    try (LanguageModel src = LanguageModel.create(config(0), ExpandFixtures.init(seed))) {
      LayerSelection every2 = LayerSelection.every(2);
      IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
          () -> StateX.expand(src, ExpandSpec.defaults(every2).withPolicy(InitPolicy.INHERIT_ZERO), ExpandFixtures.init(seed)));
      assertTrue(zero.getMessage().contains("inherit-zero") && zero.getMessage().contains("Mamba2"), zero.getMessage());
      for (int into : new int[] {3, 8}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> StateX.expand(src, new ExpandSpec(every2, into, 4, InitPolicy.REINIT), ExpandFixtures.init(seed)));
        assertTrue(e.getMessage().contains("mergeInto = " + into) && e.getMessage().contains("4"), e.getMessage());
      }
      IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
          () -> StateX.expand(src, ExpandSpec.defaults(every2), new Init(DType.BF16, Device.CPU, seed)));
      assertTrue(dtype.getMessage().contains("F32") && dtype.getMessage().contains("BF16"), dtype.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> StateX.expand(src, ExpandSpec.defaults(LayerSelection.of(5)), ExpandFixtures.init(seed)));
      assertThrows(IllegalArgumentException.class, () -> new ExpandSpec(every2, 0, 4, InitPolicy.REINIT));
      assertThrows(IllegalArgumentException.class, () -> InitPolicy.parse("merge"));
    }
  }

  private static void assertConfig(ModelConfig c, int conv, int into) {
    for (int i = 0; i < LAYERS; i++) {
      GlaLayerConfig l = (GlaLayerConfig) c.layers().get(i);
      assertEquals(SELECTED.contains(i) ? into : HEADS, l.heads(), "layer " + i + " heads");
      assertEquals(KEY, l.keyDim(), "layer " + i + " keyDim");
      assertEquals(VALUE, l.valueDim(), "layer " + i + " valueDim");
      assertEquals(conv, l.convSize(), "layer " + i + " convSize");
    }
  }

  /** Same names; same shapes except the selected gate norms, [valueDim / into]. */
  private static void assertShapes(LanguageModel src, LanguageModel out, int into) {
    assertEquals(src.namedParameters().keySet(), out.namedParameters().keySet());
    out.namedParameters().forEach((name, p) -> {
      long[] want = src.namedParameters().get(name).value().shape();
      if (name.endsWith("attn.g_norm_swish_gate.weight") && SELECTED.contains(layerOf(name))) {
        want = new long[] {VALUE / into};
      }
      assertArrayEquals(want, p.value().shape(), name);
    });
  }

  /** Everything but the selected layers' attn_norm and attn.* is the source's, bit for bit. */
  private static void assertKeptOutsideTheMixers(Map<String, float[]> before, LanguageModel out) {
    out.namedParameters().forEach((name, p) -> {
      int layer = layerOf(name);
      boolean mixer = SELECTED.contains(layer) && (name.contains(".attn.") || name.contains(".attn_norm."));
      if (!mixer) {
        assertBits(name, before.get(name), p.value().toFloatArray());
      }
    });
  }

  static void assertSourceUntouched(Map<String, float[]> before, LanguageModel src) {
    src.namedParameters().forEach((name, p) -> assertBits("source " + name, before.get(name), p.value().toFloatArray()));
  }

  /** The layer index in "model.layers.N.…" or "backbone.layers.N.…"; -1 for other names. */
  static int layerOf(String name) {
    String[] parts = name.split("\\.");
    return parts.length > 2 && parts[1].equals("layers") ? Integer.parseInt(parts[2]) : -1;
  }
}

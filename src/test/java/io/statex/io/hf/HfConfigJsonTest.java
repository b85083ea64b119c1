package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.ModelConfigJson;
import io.statex.io.json.JsonException;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** config.json in the three layouts: the published configurations, round trips, per-layer lists, refusals. */
class HfConfigJsonTest {
  /** fla's GLAConfig as save_pretrained writes it for GLA-1.3B (defaults spelled out). */
  static final String GLA_1_3B = """
      {"architectures": ["GLAForCausalLM"], "attn": null, "attn_mode": "chunk", "bos_token_id": 1, "clamp_min": null,
       "conv_size": 4, "elementwise_affine": true, "eos_token_id": 2, "expand_k": 0.5, "expand_v": 1, "feature_map": null,
       "fuse_cross_entropy": true, "fuse_norm": true, "fuse_swiglu": true, "hidden_act": "swish", "hidden_ratio": 4,
       "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": null, "max_position_embeddings": 2048,
       "model_type": "gla", "norm_eps": 1e-06, "num_heads": 4, "num_hidden_layers": 24, "num_kv_heads": null,
       "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.45.0", "use_cache": true,
       "use_gk": true, "use_gv": false, "use_output_gate": true, "use_short_conv": false, "vocab_size": 32000}
      """;

  /** state-spaces/mamba2-1.3b's config.json (research notes kernels.md B.2). */
  static final String MAMBA2_1_3B = """
      {"d_model": 2048, "d_intermediate": 0, "n_layer": 48, "vocab_size": 50277, "ssm_cfg": {"layer": "Mamba2"},
       "attn_layer_idx": [], "attn_cfg": {}, "rms_norm": true, "residual_in_fp32": true, "fused_add_norm": true,
       "pad_vocab_size_multiple": 16, "tie_embeddings": true}
      """;

  /** A transformers Mamba2Config of the same model, as json.dumps writes it (Infinity included). */
  static final String MAMBA2_1_3B_HF = """
      {"architectures": ["Mamba2ForCausalLM"], "bos_token_id": 0, "chunk_size": 256, "conv_kernel": 4,
       "eos_token_id": 0, "expand": 2, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
       "initializer_range": 0.02, "layer_norm_epsilon": 1e-05, "model_type": "mamba2", "n_groups": 1, "num_heads": 64,
       "num_hidden_layers": 48, "pad_token_id": 0, "rescale_prenorm_residual": false, "residual_in_fp32": true,
       "rms_norm": true, "state_size": 128, "tie_word_embeddings": true, "time_step_floor": 0.0001,
       "time_step_limit": [0.0, Infinity], "time_step_max": 0.1, "time_step_min": 0.001, "time_step_rank": 128,
       "use_bias": false, "use_cache": true, "use_conv_bias": true, "vocab_size": 50288}
      """;

  @Test
  void publishedConfigsGiveThePresets() throws IOException {
    HfConfig gla = HfConfigJson.parse(GLA_1_3B, "gla/config.json");
    assertEquals(Layout.GLA, gla.layout());
    assertEquals(ModelPresets.get("gla-1.3b", 0), gla.model());
    assertEquals(new HfConfig.SpecialTokens(1, 2, -1), gla.tokens());

    HfConfig original = HfConfigJson.parse(MAMBA2_1_3B, "mamba2/config.json");
    assertEquals(Layout.MAMBA2_ORIGINAL, original.layout());
    assertEquals(ModelPresets.get("mamba2-1.3b", 0), original.model());
    assertEquals(50277, original.configVocabSize(), "the file's vocabulary, before padding to 50288");
    assertEquals(16, original.padVocabMultiple());

    HfConfig hf = HfConfigJson.parse(MAMBA2_1_3B_HF, "mamba2-hf/config.json");
    assertEquals(Layout.MAMBA2_HF, hf.layout());
    assertEquals(ModelPresets.get("mamba2-1.3b", 0), hf.model());
    assertEquals(new HfConfig.SpecialTokens(0, 0, 0), hf.tokens());
  }

  @Test
  void writtenConfigsReadBackEqualAndKeepPadding() throws IOException {
    for (String text : List.of(GLA_1_3B, MAMBA2_1_3B, MAMBA2_1_3B_HF)) {
      HfConfig c = HfConfigJson.parse(text, "config.json");
      String written = HfConfigJson.write(c);
      assertEquals(c, HfConfigJson.parse(written, "written"), written);
      assertFalse(written.contains(HfConfigJson.STATEX_LAYERS), "equal layers need no per-layer list: " + written);
      assertFalse(written.contains("Infinity"), "the writer stays within strict JSON: " + written);
    }
    assertTrue(HfConfigJson.write(HfConfigJson.parse(MAMBA2_1_3B, "c")).contains("\"vocab_size\": 50277"));
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void randomConfigsRoundTrip(Layout layout) throws IOException {
    SplittableRandom r = new SplittableRandom(Seeds.fresh("randomConfigsRoundTrip" + layout));
    for (int i = 0; i < 50; i++) {
      HfConfig c = HfConfig.of(TinyModels.random(layout, r.nextBoolean(), r), layout);
      String text = HfConfigJson.write(c);
      assertEquals(c, HfConfigJson.parse(text, "config.json"), text + Seeds.describe());
    }
  }

  /** A StateX-expanded GLA: layers 0 and 3 of 6 merged to one head; the plain fields keep the common 4 heads. */
  @Test
  void perLayerListCarriesExpandedLayers() throws IOException {
    ModelConfig base = ModelPresets.gla(61, 32, 6, 4, 4, false);
    GlaLayerConfig merged = ((GlaLayerConfig) base.layers().get(0)).mergeHeads(1);
    ModelConfig expanded = base.withLayer(0, merged).withLayer(3, merged);
    String text = HfConfigJson.write(HfConfig.of(expanded, Layout.GLA));
    assertTrue(text.contains("\"num_heads\": 4,"), text);
    assertTrue(text.contains(HfConfigJson.STATEX_LAYERS), text);
    HfConfig back = HfConfigJson.parse(text, "config.json");
    assertEquals(expanded, back.model());
    assertEquals(1, ((GlaLayerConfig) back.model().layers().get(3)).heads());

    String withoutList = text.substring(0, text.indexOf(",\n  \"" + HfConfigJson.STATEX_LAYERS)) + "\n}";
    assertEquals(base, HfConfigJson.parse(withoutList, "plain").model(), "a plain config means all layers equal");
  }

  @Test
  void perLayerListMustMatchTheModel() {
    String mixed = GLA_1_3B.strip();
    List<String> layers = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      LayerConfig l = i == 3 ? ModelPresets.mamba2(10, 8, 1, 8, 8).layers().get(0) : GlaLayerConfig.standard(2048, 4, 1e-6);
      layers.add(io.statex.io.json.JsonWriter.compact(ModelConfigJson.layer(l)));
    }
    String text = mixed.substring(0, mixed.length() - 1) + ", \"statex_layers\": [" + String.join(", ", layers) + "]}";
    CheckpointException e = assertThrows(CheckpointException.class, () -> HfConfigJson.parse(text, "x/config.json"));
    assertEquals("x/config.json: statex_layers[3].mixer: a mamba2 layer in a gla config", e.getMessage());
    String short_ = mixed.substring(0, mixed.length() - 1) + ", \"statex_layers\": [" + layers.get(0) + "]}";
    JsonException n = assertThrows(JsonException.class, () -> HfConfigJson.parse(short_, "x/config.json"));
    assertEquals("x/config.json: statex_layers: expected 24 layers (num_hidden_layers), got 1", n.getMessage());
  }

  @Test
  void unsupportedOptionsAreRefusedByName() {
    expect(GLA_1_3B.replace("\"use_short_conv\": false", "\"use_short_conv\": true, \"conv_bias\": true"),
        CheckpointException.class, "c.json: conv_bias: true is not supported (short convolutions with a bias)");
    expect(GLA_1_3B.replace("\"num_kv_heads\": null", "\"num_kv_heads\": 2"), CheckpointException.class,
        "c.json: num_kv_heads: the number 2 is not supported (grouped key/value heads)");
    expect(GLA_1_3B.replace("\"model_type\": \"gla\"", "\"model_type\": \"llama\""), CheckpointException.class,
        "c.json: model_type: \"llama\" is not supported (expected \"gla\" or \"mamba2\")");
    expect(MAMBA2_1_3B.replace("{\"layer\": \"Mamba2\"}", "{}"), CheckpointException.class,
        "c.json: ssm_cfg.layer: \"Mamba1\" is not supported (only \"Mamba2\"; mamba_ssm's default is Mamba1)");
    expect(MAMBA2_1_3B.replace("\"d_intermediate\": 0", "\"d_intermediate\": 4096"), CheckpointException.class,
        "c.json: d_intermediate: the number 4096 is not supported (MLP blocks in Mamba2 models)");
    expect(MAMBA2_1_3B.replace("\"rms_norm\": true", "\"rms_norm\": true, \"bogus\": 1"), JsonException.class,
        "c.json: bogus: unknown field");
    expect(MAMBA2_1_3B_HF.replace("[0.0, Infinity]", "[0.0, 5.0]"), CheckpointException.class,
        "c.json: time_step_limit: an array is not supported (a clamp on dt other than [0, Infinity])");
    expect(MAMBA2_1_3B_HF.replace("\"num_heads\": 64", "\"num_heads\": 63"), CheckpointException.class,
        "c.json: num_heads: num_heads x head_dim = 63 x 64 = 4032, but int(expand x hidden_size) = 4096");
    expect(MAMBA2_1_3B_HF.replace("\"hidden_size\": 2048", "\"hidden_size\": 2048.5"), JsonException.class,
        "c.json: hidden_size: expected an integer, got the number 2048.5");
    expect("{\"vocab_size\": 3}", CheckpointException.class, "c.json: model_type: missing");
  }

  @Test
  void layoutsRefuseModelsTheyCannotExpress() {
    ModelConfig noMlp = new ModelConfig(ModelConfig.Family.GLA, 10, 8, List.of(GlaLayerConfig.standard(8, 2, 1e-6)), 0,
        false, 1e-6, 0.02);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HfConfigJson.write(HfConfig.of(noMlp, Layout.GLA)));
    assertTrue(e.getMessage().contains("SwiGLU MLP"), e.getMessage());
    ModelConfig eps = ModelPresets.mamba2(10, 8, 2, 8, 8);
    ModelConfig otherEps = new ModelConfig(eps.family(), 10, 8, eps.layers(), 0, true, 1e-6, 0.02);
    e = assertThrows(IllegalArgumentException.class, () -> HfConfigJson.write(HfConfig.of(otherEps, Layout.MAMBA2_ORIGINAL)));
    assertTrue(e.getMessage().contains("fixed at 1e-5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HfConfig.of(eps, Layout.GLA));
  }

  private static void expect(String text, Class<? extends IOException> type, String messageStart) {
    IOException e = assertThrows(type, () -> HfConfigJson.parse(text, "c.json"));
    assertTrue(e.getMessage().startsWith(messageStart), e.getMessage());
  }
}

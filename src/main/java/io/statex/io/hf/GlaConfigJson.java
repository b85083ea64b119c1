package io.statex.io.hf;

import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.ModelConfig;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * flash-linear-attention's {@code GLAConfig} ({@code model_type: gla}). Read: hidden_size,
 * num_hidden_layers, num_heads and vocab_size are required; the rest take GLAConfig's defaults
 * (expand_k 0.5, expand_v 1, hidden_ratio 4, norm_eps 1e-6, untied embeddings). key_dim is
 * int(hidden_size x expand_k) and value_dim int(hidden_size x expand_v), as the layer computes them;
 * the SwiGLU width is intermediate_size, else fla's rounding of hidden_ratio. The gate's rank and
 * normaliser are not config fields (every GLA checkpoint uses 16 and 16). Options the engine's GLA
 * does not implement (short convolutions, grouped key/value heads, feature maps, gate clamping,
 * hybrid attention layers, no output gate, unfused norms) are refused by name.
 */
final class GlaConfigJson {
  private static final int GATE_RANK = 16;
  private static final double GATE_NORMALIZER = 16;

  private GlaConfigJson() {}

  /** The config with every layer as the plain fields describe it. */
  static HfConfig read(JsonObject o) throws IOException {
    rejectUnsupported(o);
    long hidden = ConfigFields.size(o, "hidden_size");
    int n = ConfigFields.layers(o, "num_hidden_layers");
    int heads = o.integer("num_heads", 1, 1 << 20);
    double eps = ConfigFields.positive(o, "norm_eps", 1e-6);
    long keyDim = width(o, "expand_k", 0.5, hidden);
    long valueDim = width(o, "expand_v", 1.0, hidden);
    long mlp = o.has("intermediate_size") ? ConfigFields.size(o, "intermediate_size")
        : ModelConfig.glaMlpWidth(hidden, o.integer("hidden_ratio", 1, 1 << 10, 4));
    long vocab = ConfigFields.size(o, "vocab_size");
    GlaLayerConfig layer;
    try {
      int conv = o.bool("use_short_conv", false) ? o.integer("conv_size", 2, 4, 4) : 0;
      layer = new GlaLayerConfig(heads, keyDim, valueDim, GATE_RANK, GATE_NORMALIZER, eps, conv);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(o.pathOf("num_heads") + ": " + heads + " heads with key_dim " + keyDim
          + " and value_dim " + valueDim + ": " + e.getMessage());
    }
    List<LayerConfig> layers = Collections.nCopies(n, layer);
    ModelConfig model = new ModelConfig(ModelConfig.Family.GLA, vocab, hidden, layers, mlp,
        o.bool("tie_word_embeddings", false), eps, o.number("initializer_range", 0.02));
    return new HfConfig(Layout.GLA, model, vocab, 1, new HfConfig.SpecialTokens(ConfigFields.tokenId(o, "bos_token_id"),
        ConfigFields.tokenId(o, "eos_token_id"), ConfigFields.tokenId(o, "pad_token_id")));
  }

  /** The plain fields for a config, the per-layer ones from {@code layer}. */
  static Map<String, JsonValue> write(HfConfig c, GlaLayerConfig layer) {
    ModelConfig m = c.model();
    if (m.mlpIntermediate() < 1) {
      throw new IllegalArgumentException("layout gla: every GLA block has a SwiGLU MLP, but this model has none");
    }
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("architectures", new JsonValue.Arr(List.of(new JsonValue.Str("GLAForCausalLM"))));
    o.put("model_type", new JsonValue.Str("gla"));
    o.put("hidden_size", JsonValue.Num.of(m.hidden()));
    o.put("expand_k", ConfigFields.ratio(layer.keyDim(), m.hidden()));
    o.put("expand_v", ConfigFields.ratio(layer.valueDim(), m.hidden()));
    o.put("hidden_ratio", JsonValue.Num.of(4));
    o.put("intermediate_size", JsonValue.Num.of(m.mlpIntermediate()));
    o.put("num_hidden_layers", JsonValue.Num.of(m.layers().size()));
    o.put("num_heads", JsonValue.Num.of(layer.heads()));
    o.put("num_kv_heads", new JsonValue.Null());
    o.put("feature_map", new JsonValue.Null());
    o.put("attn_mode", new JsonValue.Str("chunk"));
    o.put("use_short_conv", new JsonValue.Bool(layer.convSize() > 0));
    o.put("conv_size", JsonValue.Num.of(layer.convSize() > 0 ? layer.convSize() : 4));
    o.put("conv_bias", new JsonValue.Bool(false));
    o.put("use_output_gate", new JsonValue.Bool(true));
    o.put("clamp_min", new JsonValue.Null());
    o.put("hidden_act", new JsonValue.Str("swish"));
    o.put("elementwise_affine", new JsonValue.Bool(true));
    o.put("norm_eps", JsonValue.Num.of(m.normEps()));
    o.put("attn", new JsonValue.Null());
    o.put("fuse_norm", new JsonValue.Bool(true));
    o.put("initializer_range", JsonValue.Num.of(m.initializerRange()));
    o.put("tie_word_embeddings", new JsonValue.Bool(m.tieEmbeddings()));
    o.put("vocab_size", JsonValue.Num.of(m.vocabSize()));
    ConfigFields.putToken(o, "bos_token_id", c.tokens().bos());
    ConfigFields.putToken(o, "eos_token_id", c.tokens().eos());
    ConfigFields.putToken(o, "pad_token_id", c.tokens().pad());
    return o;
  }

  private static void rejectUnsupported(JsonObject o) throws IOException {
    if (o.has("num_kv_heads") && o.integer("num_kv_heads", 1, 1 << 20) != o.integer("num_heads", 1, 1 << 20)) {
      throw ConfigFields.unsupported(o, "num_kv_heads", "grouped key/value heads");
    }
    ConfigFields.requireNull(o, "feature_map", "feature maps on q and k");
    ConfigFields.requireNull(o, "clamp_min", "clamped gates");
    ConfigFields.requireNull(o, "attn", "hybrid models with softmax-attention layers");
    ConfigFields.requireNull(o, "attnres_block_size", "attention residuals");
    ConfigFields.requireBool(o, "conv_bias", false, "short convolutions with a bias");
    ConfigFields.requireBool(o, "use_output_gate", true, "the GLA layer without its output gate");
    ConfigFields.requireBool(o, "elementwise_affine", true, "gate norms without a weight");
    ConfigFields.requireBool(o, "fuse_norm", true, "the unfused norms, whose gate norm is named g_norm");
    ConfigFields.requireString(o, "hidden_act", "activations other than swish (another value also renames the gate norm)", "swish");
  }

  /** int(hidden x expand), as fla computes key_dim and value_dim. */
  private static long width(JsonObject o, String key, double fallback, long hidden) throws IOException {
    return ConfigFields.scaled(o, key, ConfigFields.positive(o, key, fallback), hidden);
  }
}

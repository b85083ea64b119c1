package io.statex.io.hf;

import io.statex.io.ModelConfigJson;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * mamba_ssm's {@code MambaConfig} with Mamba2 mixers, as {@code state-spaces/mamba2-1.3b} publishes
 * it: d_model, n_layer and vocab_size required; {@code ssm_cfg.layer} must be "Mamba2" and its
 * other keys are the Mamba2 module's arguments with their defaults (d_state 128, d_conv 4, expand 2,
 * headdim 64, ngroups 1, chunk_size 256, A_init_range [1, 16], dt 0.001 to 0.1 floored at 1e-4). The
 * vocabulary is padded up to a multiple of pad_vocab_size_multiple (default 8) as MambaLMHeadModel
 * pads it; the norms' eps is 1e-5 (mamba_ssm's default, not a config field). Like
 * {@code MambaConfig(**config)}, unknown fields are refused; so are MLPs, attention layers,
 * LayerNorm and the Mamba2 options the engine does not implement.
 */
final class Mamba2OriginalConfigJson {
  private static final Set<String> FIELDS = Set.of("d_model", "d_intermediate", "n_layer", "vocab_size", "ssm_cfg",
      "attn_layer_idx", "attn_cfg", "rms_norm", "residual_in_fp32", "fused_add_norm", "pad_vocab_size_multiple",
      "tie_embeddings", HfConfigJson.STATEX_LAYERS);
  private static final Set<String> SSM_FIELDS = Set.of("layer", "d_state", "d_conv", "conv_init", "expand", "headdim",
      "d_ssm", "ngroups", "A_init_range", "D_has_hdim", "rmsnorm", "norm_before_gate", "dt_min", "dt_max",
      "dt_init_floor", "dt_limit", "bias", "conv_bias", "chunk_size", "use_mem_eff_path", "sequence_parallel");
  static final double NORM_EPS = 1e-5;

  private Mamba2OriginalConfigJson() {}

  static HfConfig read(JsonObject o) throws IOException {
    o.requireOnly(FIELDS);
    long hidden = ConfigFields.size(o, "d_model");
    int n = ConfigFields.layers(o, "n_layer");
    if (o.longInteger("d_intermediate", 0, ModelConfigJson.MAX_DIM, 0) != 0) {
      throw ConfigFields.unsupported(o, "d_intermediate", "MLP blocks in Mamba2 models");
    }
    if (o.has("attn_layer_idx") && !o.array("attn_layer_idx").isEmpty()) {
      throw ConfigFields.unsupported(o, "attn_layer_idx", "attention layers");
    }
    ConfigFields.requireBool(o, "rms_norm", true, "LayerNorm");
    o.bool("residual_in_fp32", true); // how the sum is kept, not what it is: type-checked only
    o.bool("fused_add_norm", true);
    long vocab = ConfigFields.size(o, "vocab_size");
    int pad = o.integer("pad_vocab_size_multiple", 1, 1 << 16, 8);
    Mamba2LayerConfig layer = layer(o, hidden);
    ModelConfig model = new ModelConfig(ModelConfig.Family.MAMBA2, HfConfig.paddedVocab(vocab, pad), hidden,
        Collections.nCopies(n, (LayerConfig) layer), 0, o.bool("tie_embeddings", true), NORM_EPS, 0.02);
    return new HfConfig(Layout.MAMBA2_ORIGINAL, model, vocab, pad, HfConfig.SpecialTokens.NONE);
  }

  private static Mamba2LayerConfig layer(JsonObject o, long hidden) throws IOException {
    if (!o.has("ssm_cfg")) {
      throw new CheckpointException(o.pathOf("ssm_cfg") + ": missing; only Mamba2 mixers ({\"layer\": \"Mamba2\"}) are supported");
    }
    JsonObject s = o.object("ssm_cfg");
    s.requireOnly(SSM_FIELDS);
    if (!s.string("layer", "Mamba1").equals("Mamba2")) {
      throw new CheckpointException(s.pathOf("layer") + ": \"" + s.string("layer", "Mamba1")
          + "\" is not supported (only \"Mamba2\"; mamba_ssm's default is Mamba1)");
    }
    ConfigFields.requireBool(s, "D_has_hdim", false, "D per channel");
    ConfigFields.requireBool(s, "rmsnorm", true, "the mixer without its gated norm");
    ConfigFields.requireBool(s, "norm_before_gate", false, "norm before gate");
    ConfigFields.requireBool(s, "bias", false, "biases in in_proj and out_proj");
    ConfigFields.requireBool(s, "conv_bias", true, "the conv without bias");
    ConfigFields.requireNoDtLimit(s, "dt_limit");
    long dInner = s.longInteger("expand", 1, 1 << 10, 2) * hidden;
    if (s.has("d_ssm") && s.longInteger("d_ssm", 1, ModelConfigJson.MAX_DIM) != dInner) {
      throw ConfigFields.unsupported(s, "d_ssm", "a gated MLP beside the SSM (d_ssm < d_inner)");
    }
    double[] a = s.has("A_init_range") ? ModelConfigJson.range(s, "A_init_range") : new double[] {1, 16};
    try {
      return new Mamba2LayerConfig(dInner, ConfigFields.size(s, "headdim", 64), ConfigFields.size(s, "d_state", 128),
          s.integer("ngroups", 1, 1 << 20, 1), s.integer("d_conv", 1, 64, 4), s.integer("chunk_size", 1, 1 << 20, 256),
          s.number("dt_min", 0.001), s.number("dt_max", 0.1), s.number("dt_init_floor", 1e-4), a[0], a[1], NORM_EPS);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(s.path() + ": " + e.getMessage());
    }
  }

  static Map<String, JsonValue> write(HfConfig c, Mamba2LayerConfig layer) {
    ModelConfig m = c.model();
    if (m.mlpIntermediate() != 0) {
      throw new IllegalArgumentException("layout mamba2-original: MLP blocks are not written (the model has intermediate size "
          + m.mlpIntermediate() + ")");
    }
    if (m.normEps() != NORM_EPS) {
      throw new IllegalArgumentException("layout mamba2-original: the norms' eps is fixed at 1e-5, the model has " + m.normEps());
    }
    if (layer.dInner() % m.hidden() != 0) {
      throw new IllegalArgumentException("layout mamba2-original: d_inner " + layer.dInner() + " is not a multiple of d_model "
          + m.hidden() + " (expand is an integer)");
    }
    Map<String, JsonValue> ssm = new LinkedHashMap<>();
    ssm.put("layer", new JsonValue.Str("Mamba2"));
    ssm.put("d_state", JsonValue.Num.of(layer.dState()));
    ssm.put("d_conv", JsonValue.Num.of(layer.convWidth()));
    ssm.put("expand", JsonValue.Num.of(layer.dInner() / m.hidden()));
    ssm.put("headdim", JsonValue.Num.of(layer.headDim()));
    ssm.put("ngroups", JsonValue.Num.of(layer.groups()));
    ssm.put("A_init_range", new JsonValue.Arr(List.of(JsonValue.Num.of(layer.aMin()), JsonValue.Num.of(layer.aMax()))));
    ssm.put("dt_min", JsonValue.Num.of(layer.dtMin()));
    ssm.put("dt_max", JsonValue.Num.of(layer.dtMax()));
    ssm.put("dt_init_floor", JsonValue.Num.of(layer.dtInitFloor()));
    ssm.put("chunk_size", JsonValue.Num.of(layer.chunkSize()));
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("d_model", JsonValue.Num.of(m.hidden()));
    o.put("d_intermediate", JsonValue.Num.of(0));
    o.put("n_layer", JsonValue.Num.of(m.layers().size()));
    o.put("vocab_size", JsonValue.Num.of(c.configVocabSize()));
    o.put("ssm_cfg", new JsonValue.Obj(ssm));
    o.put("attn_layer_idx", new JsonValue.Arr(List.of()));
    o.put("attn_cfg", new JsonValue.Obj(Map.of()));
    o.put("rms_norm", new JsonValue.Bool(true));
    o.put("residual_in_fp32", new JsonValue.Bool(true));
    o.put("fused_add_norm", new JsonValue.Bool(true));
    o.put("pad_vocab_size_multiple", JsonValue.Num.of(c.padVocabMultiple()));
    o.put("tie_embeddings", new JsonValue.Bool(m.tieEmbeddings()));
    return o;
  }
}

package io.statex.io.hf;

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

/**
 * transformers' {@code Mamba2Config} ({@code model_type: mamba2}): hidden_size, num_hidden_layers and
 * vocab_size required; the rest take Mamba2Config's defaults (num_heads 128, head_dim 64,
 * state_size 128, expand 2, conv_kernel 4, n_groups 8, chunk_size 256, layer_norm_epsilon 1e-5,
 * untied embeddings). The inner width is int(expand x hidden_size) and must equal num_heads x
 * head_dim; one eps serves the block norms and the gated norm. Biases, a conv without bias, other
 * activations and a dt clamp are refused by name; other fields are ignored, as transformers ignores
 * what it does not know.
 */
final class Mamba2HfConfigJson {
  private Mamba2HfConfigJson() {}

  static HfConfig read(JsonObject o) throws IOException {
    ConfigFields.requireBool(o, "use_bias", false, "biases in in_proj and out_proj");
    ConfigFields.requireBool(o, "use_conv_bias", true, "the conv without bias");
    ConfigFields.requireString(o, "hidden_act", "activations other than SiLU", "silu", "swish");
    ConfigFields.requireNoDtLimit(o, "time_step_limit");
    long hidden = ConfigFields.size(o, "hidden_size");
    int n = ConfigFields.layers(o, "num_hidden_layers");
    long dInner = ConfigFields.scaled(o, "expand", ConfigFields.positive(o, "expand", 2), hidden);
    long heads = ConfigFields.size(o, "num_heads", 128);
    long headDim = ConfigFields.size(o, "head_dim", 64);
    if (heads * headDim != dInner) {
      throw new CheckpointException(o.pathOf("num_heads") + ": num_heads x head_dim = " + heads + " x " + headDim + " = "
          + heads * headDim + ", but int(expand x hidden_size) = " + dInner);
    }
    double eps = ConfigFields.positive(o, "layer_norm_epsilon", 1e-5);
    Mamba2LayerConfig layer;
    try {
      layer = new Mamba2LayerConfig(dInner, headDim, ConfigFields.size(o, "state_size", 128),
          o.integer("n_groups", 1, 1 << 20, 8), o.integer("conv_kernel", 1, 64, 4), o.integer("chunk_size", 1, 1 << 20, 256),
          o.number("time_step_min", 0.001), o.number("time_step_max", 0.1), o.number("time_step_floor", 1e-4), 1, 16, eps);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(o.path().isEmpty() ? e.getMessage() : o.path() + ": " + e.getMessage());
    }
    long vocab = ConfigFields.size(o, "vocab_size");
    ModelConfig model = new ModelConfig(ModelConfig.Family.MAMBA2, vocab, hidden, Collections.nCopies(n, (LayerConfig) layer),
        0, o.bool("tie_word_embeddings", false), eps, o.number("initializer_range", 0.1));
    return new HfConfig(Layout.MAMBA2_HF, model, vocab, 1, new HfConfig.SpecialTokens(ConfigFields.tokenId(o, "bos_token_id"),
        ConfigFields.tokenId(o, "eos_token_id"), ConfigFields.tokenId(o, "pad_token_id")));
  }

  static Map<String, JsonValue> write(HfConfig c, Mamba2LayerConfig layer) {
    ModelConfig m = c.model();
    if (m.mlpIntermediate() != 0) {
      throw new IllegalArgumentException("layout mamba2-hf: Mamba2ForCausalLM has no MLP blocks, the model has intermediate size "
          + m.mlpIntermediate());
    }
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("architectures", new JsonValue.Arr(List.of(new JsonValue.Str("Mamba2ForCausalLM"))));
    o.put("model_type", new JsonValue.Str("mamba2"));
    o.put("hidden_size", JsonValue.Num.of(m.hidden()));
    o.put("num_hidden_layers", JsonValue.Num.of(m.layers().size()));
    o.put("vocab_size", JsonValue.Num.of(m.vocabSize()));
    o.put("expand", ConfigFields.ratio(layer.dInner(), m.hidden()));
    o.put("num_heads", JsonValue.Num.of(layer.heads()));
    o.put("head_dim", JsonValue.Num.of(layer.headDim()));
    o.put("state_size", JsonValue.Num.of(layer.dState()));
    o.put("n_groups", JsonValue.Num.of(layer.groups()));
    o.put("conv_kernel", JsonValue.Num.of(layer.convWidth()));
    o.put("chunk_size", JsonValue.Num.of(layer.chunkSize()));
    o.put("layer_norm_epsilon", JsonValue.Num.of(m.normEps()));
    o.put("use_bias", new JsonValue.Bool(false));
    o.put("use_conv_bias", new JsonValue.Bool(true));
    o.put("hidden_act", new JsonValue.Str("silu"));
    o.put("residual_in_fp32", new JsonValue.Bool(true));
    o.put("rms_norm", new JsonValue.Bool(true));
    o.put("time_step_min", JsonValue.Num.of(layer.dtMin()));
    o.put("time_step_max", JsonValue.Num.of(layer.dtMax()));
    o.put("time_step_floor", JsonValue.Num.of(layer.dtInitFloor()));
    o.put("initializer_range", JsonValue.Num.of(m.initializerRange()));
    o.put("tie_word_embeddings", new JsonValue.Bool(m.tieEmbeddings()));
    ConfigFields.putToken(o, "bos_token_id", c.tokens().bos());
    ConfigFields.putToken(o, "eos_token_id", c.tokens().eos());
    ConfigFields.putToken(o, "pad_token_id", c.tokens().pad());
    return o;
  }
}

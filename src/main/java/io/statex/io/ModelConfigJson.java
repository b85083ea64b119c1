package io.statex.io;

import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import io.statex.io.json.JsonWriter;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engine's model config as JSON, with every layer's mixer written out (heads and widths for GLA,
 * d_state and the rest for Mamba2), so that a StateX-expanded model, whose layers differ, reloads
 * unambiguously. Field names follow the Hugging Face configs where one exists. The per-layer objects
 * ({@link #layer(LayerConfig)}, {@link #readLayer}) are also what Hugging Face configs written by the
 * engine carry in their {@code statex_layers} list.
 */
public final class ModelConfigJson {
  private static final Set<String> GLA_FIELDS = Set.of("mixer", "num_heads", "key_dim", "value_dim",
      "gate_low_rank_dim", "gate_logit_normalizer", "norm_eps", "conv_size");
  private static final Set<String> MAMBA2_FIELDS = Set.of("mixer", "d_inner", "headdim", "d_state", "ngroups",
      "d_conv", "chunk_size", "dt_min", "dt_max", "dt_init_floor", "A_init_range", "norm_eps");

  /** Widths and counts above this are refused on reading: no real model comes near, and sizes multiply. */
  public static final long MAX_DIM = 1L << 24;

  private ModelConfigJson() {}

  public static String write(ModelConfig c) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    o.put("model_type", new JsonValue.Str(c.family() == ModelConfig.Family.GLA ? "gla" : "mamba2"));
    o.put("vocab_size", JsonValue.Num.of(c.vocabSize()));
    o.put("hidden_size", JsonValue.Num.of(c.hidden()));
    o.put("num_hidden_layers", JsonValue.Num.of(c.layers().size()));
    o.put("intermediate_size", JsonValue.Num.of(c.mlpIntermediate()));
    o.put("tie_word_embeddings", new JsonValue.Bool(c.tieEmbeddings()));
    o.put("norm_eps", JsonValue.Num.of(c.normEps()));
    o.put("initializer_range", JsonValue.Num.of(c.initializerRange()));
    o.put("layers", layers(c.layers()));
    return JsonWriter.compact(new JsonValue.Obj(o));
  }

  /** The per-layer list: one object per layer, in order. */
  public static JsonValue.Arr layers(List<LayerConfig> layers) {
    List<JsonValue> out = new ArrayList<>();
    for (LayerConfig l : layers) {
      out.add(layer(l));
    }
    return new JsonValue.Arr(out);
  }

  /** One layer's mixer: {"mixer": "gla", "num_heads": ...} or {"mixer": "mamba2", "d_state": ...}. */
  public static JsonValue.Obj layer(LayerConfig l) {
    Map<String, JsonValue> o = new LinkedHashMap<>();
    if (l instanceof GlaLayerConfig g) {
      o.put("mixer", new JsonValue.Str("gla"));
      o.put("num_heads", JsonValue.Num.of(g.heads()));
      o.put("key_dim", JsonValue.Num.of(g.keyDim()));
      o.put("value_dim", JsonValue.Num.of(g.valueDim()));
      o.put("gate_low_rank_dim", JsonValue.Num.of(g.gateLowRank()));
      o.put("gate_logit_normalizer", JsonValue.Num.of(g.gateNormalizer()));
      o.put("norm_eps", JsonValue.Num.of(g.normEps()));
      o.put("conv_size", JsonValue.Num.of(g.convSize()));
    } else {
      Mamba2LayerConfig m = (Mamba2LayerConfig) l;
      o.put("mixer", new JsonValue.Str("mamba2"));
      o.put("d_inner", JsonValue.Num.of(m.dInner()));
      o.put("headdim", JsonValue.Num.of(m.headDim()));
      o.put("d_state", JsonValue.Num.of(m.dState()));
      o.put("ngroups", JsonValue.Num.of(m.groups()));
      o.put("d_conv", JsonValue.Num.of(m.convWidth()));
      o.put("chunk_size", JsonValue.Num.of(m.chunkSize()));
      o.put("dt_min", JsonValue.Num.of(m.dtMin()));
      o.put("dt_max", JsonValue.Num.of(m.dtMax()));
      o.put("dt_init_floor", JsonValue.Num.of(m.dtInitFloor()));
      o.put("A_init_range", new JsonValue.Arr(List.of(JsonValue.Num.of(m.aMin()), JsonValue.Num.of(m.aMax()))));
      o.put("norm_eps", JsonValue.Num.of(m.normEps()));
    }
    return new JsonValue.Obj(o);
  }

  /** Parses a config written by {@link #write}; every field is checked, errors name it. */
  public static ModelConfig read(String json) throws JsonException {
    JsonObject o = JsonObject.of(Json.parse(json), "config");
    String type = o.string("model_type");
    ModelConfig.Family family = switch (type) {
      case "gla" -> ModelConfig.Family.GLA;
      case "mamba2" -> ModelConfig.Family.MAMBA2;
      default -> throw new JsonException("config.model_type: expected \"gla\" or \"mamba2\", got \"" + type + "\"");
    };
    int n = o.integer("num_hidden_layers", 1, (int) MAX_DIM);
    List<LayerConfig> layers = readLayers(o, "layers", n);
    try {
      return new ModelConfig(family, o.longInteger("vocab_size", 1, MAX_DIM), o.longInteger("hidden_size", 1, MAX_DIM),
          layers, o.longInteger("intermediate_size", 0, MAX_DIM), o.bool("tie_word_embeddings"), o.number("norm_eps"),
          o.number("initializer_range"));
    } catch (IllegalArgumentException e) {
      throw new JsonException("config: " + e.getMessage());
    }
  }

  /** The per-layer list under {@code key}, which must hold exactly {@code count} layer objects. */
  public static List<LayerConfig> readLayers(JsonObject o, String key, int count) throws JsonException {
    List<JsonValue> items = o.array(key);
    if (items.size() != count) {
      throw new JsonException(o.pathOf(key) + ": expected " + count + " layers (num_hidden_layers), got " + items.size());
    }
    List<LayerConfig> layers = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      layers.add(readLayer(JsonObject.of(items.get(i), JsonObject.elementPath(o.pathOf(key), i))));
    }
    return layers;
  }

  /** One layer object as {@link #layer(LayerConfig)} writes it; unknown fields are refused. */
  public static LayerConfig readLayer(JsonObject l) throws JsonException {
    String mixer = l.string("mixer");
    try {
      if (mixer.equals("gla")) {
        l.requireOnly(GLA_FIELDS);
        return new GlaLayerConfig(l.integer("num_heads", 1, (int) MAX_DIM), l.longInteger("key_dim", 1, MAX_DIM),
            l.longInteger("value_dim", 1, MAX_DIM), l.integer("gate_low_rank_dim", 1, (int) MAX_DIM),
            l.number("gate_logit_normalizer"), l.number("norm_eps"), l.integer("conv_size", 0, 4, 0));
      }
      if (mixer.equals("mamba2")) {
        l.requireOnly(MAMBA2_FIELDS);
        double[] a = range(l, "A_init_range");
        return new Mamba2LayerConfig(l.longInteger("d_inner", 1, MAX_DIM), l.longInteger("headdim", 1, MAX_DIM),
            l.longInteger("d_state", 1, MAX_DIM), l.integer("ngroups", 1, (int) MAX_DIM), l.integer("d_conv", 1, 64),
            l.integer("chunk_size", 1, (int) MAX_DIM), l.number("dt_min"), l.number("dt_max"), l.number("dt_init_floor"),
            a[0], a[1], l.number("norm_eps"));
      }
    } catch (IllegalArgumentException e) {
      throw new JsonException(l.path() + ": " + e.getMessage());
    }
    throw new JsonException(l.pathOf("mixer") + ": expected \"gla\" or \"mamba2\", got \"" + mixer + "\"");
  }

  /** A two-number array [lo, hi] of finite numbers. */
  public static double[] range(JsonObject o, String key) throws JsonException {
    List<JsonValue> a = o.array(key);
    if (a.size() != 2) {
      throw new JsonException(o.pathOf(key) + ": expected 2 numbers, got " + a.size());
    }
    return new double[] {JsonObject.asNumber(a.get(0), JsonObject.elementPath(o.pathOf(key), 0)),
        JsonObject.asNumber(a.get(1), JsonObject.elementPath(o.pathOf(key), 1))};
  }
}

package io.statex.io;

import io.statex.io.json.JsonException;
import io.statex.io.json.JsonParser;
import io.statex.io.json.JsonValue;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine's model config as JSON, with every layer's mixer written out (heads and widths for GLA,
 * d_state and the rest for Mamba2), so that a StateX-expanded model, whose layers differ, reloads
 * unambiguously. Field names follow the Hugging Face configs where one exists.
 */
public final class ModelConfigJson {
  private ModelConfigJson() {}

  public static String write(ModelConfig c) {
    StringBuilder sb = new StringBuilder("{");
    field(sb, "model_type", str(c.family() == ModelConfig.Family.GLA ? "gla" : "mamba2"));
    field(sb, "vocab_size", Long.toString(c.vocabSize()));
    field(sb, "hidden_size", Long.toString(c.hidden()));
    field(sb, "num_hidden_layers", Integer.toString(c.layers().size()));
    field(sb, "intermediate_size", Long.toString(c.mlpIntermediate()));
    field(sb, "tie_word_embeddings", Boolean.toString(c.tieEmbeddings()));
    field(sb, "norm_eps", num(c.normEps()));
    field(sb, "initializer_range", num(c.initializerRange()));
    List<String> layers = new ArrayList<>();
    for (LayerConfig l : c.layers()) {
      layers.add(layer(l));
    }
    field(sb, "layers", "[" + String.join(", ", layers) + "]");
    return sb.append("}").toString();
  }

  private static String layer(LayerConfig l) {
    StringBuilder sb = new StringBuilder("{");
    if (l instanceof GlaLayerConfig g) {
      field(sb, "mixer", str("gla"));
      field(sb, "num_heads", Integer.toString(g.heads()));
      field(sb, "key_dim", Long.toString(g.keyDim()));
      field(sb, "value_dim", Long.toString(g.valueDim()));
      field(sb, "gate_low_rank_dim", Integer.toString(g.gateLowRank()));
      field(sb, "gate_logit_normalizer", num(g.gateNormalizer()));
      field(sb, "norm_eps", num(g.normEps()));
      field(sb, "conv_size", Integer.toString(g.convSize()));
    } else {
      Mamba2LayerConfig m = (Mamba2LayerConfig) l;
      field(sb, "mixer", str("mamba2"));
      field(sb, "d_inner", Long.toString(m.dInner()));
      field(sb, "headdim", Long.toString(m.headDim()));
      field(sb, "d_state", Long.toString(m.dState()));
      field(sb, "ngroups", Integer.toString(m.groups()));
      field(sb, "d_conv", Integer.toString(m.convWidth()));
      field(sb, "chunk_size", Integer.toString(m.chunkSize()));
      field(sb, "dt_min", num(m.dtMin()));
      field(sb, "dt_max", num(m.dtMax()));
      field(sb, "dt_init_floor", num(m.dtInitFloor()));
      field(sb, "A_init_range", "[" + num(m.aMin()) + ", " + num(m.aMax()) + "]");
      field(sb, "norm_eps", num(m.normEps()));
    }
    return sb.append("}").toString();
  }

  /** Parses a config written by {@link #write}; every field is checked, errors name it. */
  public static ModelConfig read(String json) throws JsonException {
    Fields o = Fields.of(new JsonParser().parse(json), "config");
    String type = o.string("model_type");
    ModelConfig.Family family = switch (type) {
      case "gla" -> ModelConfig.Family.GLA;
      case "mamba2" -> ModelConfig.Family.MAMBA2;
      default -> throw new JsonException("config: model_type must be \"gla\" or \"mamba2\", found \"" + type + "\"");
    };
    List<JsonValue> items = o.array("layers");
    long n = o.integer("num_hidden_layers");
    if (items.size() != n) {
      throw new JsonException("config: num_hidden_layers is " + n + " but layers lists " + items.size());
    }
    List<LayerConfig> layers = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      layers.add(layer(Fields.of(items.get(i), "layers[" + i + "]")));
    }
    try {
      return new ModelConfig(family, o.integer("vocab_size"), o.integer("hidden_size"), layers,
          o.integer("intermediate_size"), o.bool("tie_word_embeddings"), o.number("norm_eps"),
          o.number("initializer_range"));
    } catch (IllegalArgumentException e) {
      throw new JsonException("config: " + e.getMessage());
    }
  }

  private static LayerConfig layer(Fields l) throws JsonException {
    String mixer = l.string("mixer");
    try {
      if (mixer.equals("gla")) {
        return new GlaLayerConfig(l.intValue("num_heads"), l.integer("key_dim"), l.integer("value_dim"),
            l.intValue("gate_low_rank_dim"), l.number("gate_logit_normalizer"), l.number("norm_eps"),
            l.intValue("conv_size"));
      }
      if (mixer.equals("mamba2")) {
        List<JsonValue> a = l.array("A_init_range");
        if (a.size() != 2) {
          throw new JsonException(l.where + ".A_init_range: expected 2 numbers, found " + a.size());
        }
        return new Mamba2LayerConfig(l.integer("d_inner"), l.integer("headdim"), l.integer("d_state"),
            l.intValue("ngroups"), l.intValue("d_conv"), l.intValue("chunk_size"), l.number("dt_min"),
            l.number("dt_max"), l.number("dt_init_floor"), Fields.toNumber(a.get(0), l.where + ".A_init_range[0]"),
            Fields.toNumber(a.get(1), l.where + ".A_init_range[1]"), l.number("norm_eps"));
      }
    } catch (IllegalArgumentException e) {
      throw new JsonException(l.where + ": " + e.getMessage());
    }
    throw new JsonException(l.where + ".mixer must be \"gla\" or \"mamba2\", found \"" + mixer + "\"");
  }

  private static void field(StringBuilder sb, String key, String value) {
    if (sb.length() > 1) {
      sb.append(", ");
    }
    sb.append('"').append(key).append("\": ").append(value);
  }

  private static String str(String s) {
    return io.statex.io.json.JsonWriter.quote(s, false);
  }

  // Shortest text that parses back to the same double.
  private static String num(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d).toLowerCase(Locale.ROOT);
  }

  /** Typed access to an object's members with errors that name the field. */
  static final class Fields {
    final Map<String, JsonValue> members;
    final String where;

    private Fields(Map<String, JsonValue> members, String where) {
      this.members = members;
      this.where = where;
    }

    static Fields of(JsonValue v, String where) throws JsonException {
      if (!(v instanceof JsonValue.Obj o)) {
        throw new JsonException(where + ": expected an object, found " + v.typeName());
      }
      return new Fields(o.members(), where);
    }

    JsonValue get(String key) throws JsonException {
      JsonValue v = members.get(key);
      if (v == null) {
        throw new JsonException(where + ": missing field \"" + key + "\"");
      }
      return v;
    }

    String string(String key) throws JsonException {
      JsonValue v = get(key);
      if (v instanceof JsonValue.Str s) {
        return s.value();
      }
      throw new JsonException(where + "." + key + ": expected a string, found " + v.typeName());
    }

    long integer(String key) throws JsonException {
      JsonValue v = get(key);
      if (v instanceof JsonValue.Num n && n.exactLong().isPresent()) {
        return n.exactLong().getAsLong();
      }
      throw new JsonException(where + "." + key + ": expected an integer, found " + describe(v));
    }

    int intValue(String key) throws JsonException {
      long v = integer(key);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new JsonException(where + "." + key + ": " + v + " is out of range");
      }
      return (int) v;
    }

    double number(String key) throws JsonException {
      return toNumber(get(key), where + "." + key);
    }

    boolean bool(String key) throws JsonException {
      JsonValue v = get(key);
      if (v instanceof JsonValue.Bool b) {
        return b.value();
      }
      throw new JsonException(where + "." + key + ": expected true or false, found " + v.typeName());
    }

    List<JsonValue> array(String key) throws JsonException {
      JsonValue v = get(key);
      if (v instanceof JsonValue.Arr a) {
        return a.items();
      }
      throw new JsonException(where + "." + key + ": expected an array, found " + v.typeName());
    }

    static double toNumber(JsonValue v, String where) throws JsonException {
      if (v instanceof JsonValue.Num n) {
        double d = Double.parseDouble(n.text());
        if (Double.isFinite(d)) {
          return d;
        }
      }
      throw new JsonException(where + ": expected a finite number, found " + describe(v));
    }

    private static String describe(JsonValue v) {
      return v instanceof JsonValue.Num n ? n.text() : v.typeName();
    }
  }
}

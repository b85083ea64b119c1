package io.statex.io.hf;

import io.statex.io.ModelConfigJson;
import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import io.statex.io.json.JsonWriter;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes a Hugging Face {@code config.json} in any of the three {@link Layout}s.
 *
 * <p>Reading tells the layout from the file ({@code model_type} "gla" or "mamba2"; no model_type but
 * the {@code d_model} / {@code ssm_cfg} of a mamba_ssm config: mamba2-original), parses it as Python
 * writes JSON ({@code Infinity} allowed), and builds every layer from the plain fields, unless the
 * file carries a {@value #STATEX_LAYERS} list: then that list, one object per layer in the form of
 * {@link ModelConfigJson#layer}, gives each layer's mixer (heads, widths, d_state...). Errors name
 * the file and the field.
 *
 * <p>Writing puts the plain fields of the layout, describing the most common layer, and adds
 * {@value #STATEX_LAYERS} exactly when those fields do not describe every layer (a StateX-expanded
 * model), so that a model with equal layers stays a file the reference libraries load as they are.
 * A model the layout cannot express (a GLA without MLP, a Mamba2 norm eps other than mamba_ssm's)
 * is an IllegalArgumentException.
 */
public final class HfConfigJson {
  /** The per-layer list the engine adds when layers differ. */
  public static final String STATEX_LAYERS = "statex_layers";

  public static final String FILE_NAME = "config.json";

  /** Real configs are a few kilobytes; this refuses junk before reading it. */
  static final long MAX_BYTES = 16L << 20;

  private HfConfigJson() {}

  /** Reads a config.json file; errors start with the file's path. */
  public static HfConfig read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new JsonException(file + ": too large, at most " + MAX_BYTES + " bytes, got " + size);
    }
    return parse(Json.decodeUtf8(Files.readAllBytes(file), file.toString()), file.toString());
  }

  /** Parses config text; {@code what} (a file name) starts every error message. */
  public static HfConfig parse(String text, String what) throws IOException {
    try {
      return fromJson(JsonObject.of(Json.parse(text, Json.DEFAULT_LIMITS.withMaxLength(MAX_BYTES), Json.Syntax.PYTHON), ""));
    } catch (JsonException e) {
      throw (JsonException) new JsonException(what + ": " + e.getMessage(), e.offset()).initCause(e);
    } catch (CheckpointException e) {
      throw (CheckpointException) new CheckpointException(what + ": " + e.getMessage()).initCause(e);
    }
  }

  /** The layout a parsed config is written in. */
  public static Layout detect(JsonObject o) throws IOException {
    if (o.has("model_type")) {
      String type = o.string("model_type");
      return switch (type) {
        case "gla" -> Layout.GLA;
        case "mamba2" -> Layout.MAMBA2_HF;
        default -> throw new CheckpointException(o.pathOf("model_type") + ": \"" + type
            + "\" is not supported (expected \"gla\" or \"mamba2\"" + (type.equals("mamba") ? "; Mamba1 is not supported" : "") + ")");
      };
    }
    if (o.has("d_model") || o.has("ssm_cfg")) {
      return Layout.MAMBA2_ORIGINAL;
    }
    throw new CheckpointException("model_type: missing, and no d_model or ssm_cfg of a mamba_ssm config either: "
        + "not a GLA or Mamba2 config");
  }

  private static HfConfig fromJson(JsonObject o) throws IOException {
    Layout layout = detect(o);
    HfConfig plain = switch (layout) {
      case GLA -> GlaConfigJson.read(o);
      case MAMBA2_ORIGINAL -> Mamba2OriginalConfigJson.read(o);
      case MAMBA2_HF -> Mamba2HfConfigJson.read(o);
    };
    if (!o.has(STATEX_LAYERS)) {
      return plain;
    }
    ModelConfig m = plain.model();
    List<LayerConfig> layers = ModelConfigJson.readLayers(o, STATEX_LAYERS, m.layers().size());
    for (int i = 0; i < layers.size(); i++) {
      if (layers.get(i).getClass() != m.layers().get(0).getClass()) {
        throw new CheckpointException(JsonObject.elementPath(o.pathOf(STATEX_LAYERS), i) + ".mixer: a "
            + (layers.get(i) instanceof GlaLayerConfig ? "gla" : "mamba2") + " layer in a " + layout + " config");
      }
    }
    ModelConfig withLayers = new ModelConfig(m.family(), m.vocabSize(), m.hidden(), layers, m.mlpIntermediate(),
        m.tieEmbeddings(), m.normEps(), m.initializerRange());
    return new HfConfig(layout, withLayers, plain.configVocabSize(), plain.padVocabMultiple(), plain.tokens());
  }

  /** The config.json text (two-space indented) for c. */
  public static String write(HfConfig c) {
    ModelConfig m = c.model();
    LayerConfig rep = mostCommon(m.layers());
    Map<String, JsonValue> fields = new LinkedHashMap<>(switch (c.layout()) {
      case GLA -> GlaConfigJson.write(c, (GlaLayerConfig) rep);
      case MAMBA2_ORIGINAL -> Mamba2OriginalConfigJson.write(c, (Mamba2LayerConfig) rep);
      case MAMBA2_HF -> Mamba2HfConfigJson.write(c, (Mamba2LayerConfig) rep);
    });
    if (!readBack(c, fields).model().layers().equals(m.layers())) {
      fields.put(STATEX_LAYERS, ModelConfigJson.layers(m.layers()));
    }
    HfConfig back = readBack(c, fields);
    String diff = difference(c, back);
    if (!diff.isEmpty()) {
      throw new IllegalArgumentException("layout " + c.layout() + " cannot express this model: " + diff);
    }
    return JsonWriter.pretty(new JsonValue.Obj(fields));
  }

  private static HfConfig readBack(HfConfig c, Map<String, JsonValue> fields) {
    try {
      return fromJson(JsonObject.of(new JsonValue.Obj(fields), ""));
    } catch (IOException e) {
      throw new IllegalArgumentException("layout " + c.layout() + " cannot express this model: " + e.getMessage(), e);
    }
  }

  /** What reading the written file back would change; initializer_range is not in mamba2-original files. */
  private static String difference(HfConfig want, HfConfig got) {
    ModelConfig a = want.model();
    ModelConfig b = got.model();
    List<String> out = new ArrayList<>();
    if (a.normEps() != b.normEps()) {
      out.add("norm eps " + a.normEps() + " would read back as " + b.normEps());
    }
    if (a.initializerRange() != b.initializerRange() && want.layout() != Layout.MAMBA2_ORIGINAL) {
      out.add("initializer range " + a.initializerRange() + " would read back as " + b.initializerRange());
    }
    if (a.vocabSize() != b.vocabSize() || a.hidden() != b.hidden() || a.mlpIntermediate() != b.mlpIntermediate()
        || a.tieEmbeddings() != b.tieEmbeddings() || !a.layers().equals(b.layers())) {
      out.add(a + " would read back as " + b);
    }
    if (!want.tokens().equals(got.tokens()) && want.layout() != Layout.MAMBA2_ORIGINAL) {
      out.add("special tokens " + want.tokens() + " would read back as " + got.tokens());
    }
    return String.join("; ", out);
  }

  /** The layer config that most layers have (the first such on a tie). */
  private static LayerConfig mostCommon(List<LayerConfig> layers) {
    Map<LayerConfig, Integer> counts = new LinkedHashMap<>();
    for (LayerConfig l : layers) {
      counts.merge(l, 1, Integer::sum);
    }
    LayerConfig best = layers.get(0);
    for (Map.Entry<LayerConfig, Integer> e : counts.entrySet()) {
      if (e.getValue() > counts.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }
}

package io.statex.eval;

import io.statex.io.ModelConfigJson;
import io.statex.io.json.JsonException;
import io.statex.io.safetensors.SafetensorsFile;
import io.statex.io.safetensors.TensorInfo;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.train.Checkpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model from one of our checkpoints: a model.safetensors file whose metadata "statex.config"
 * holds the model config, given as the file, as a checkpoint step directory holding it, or as a
 * training checkpoint directory (then its "latest" step). The config is checked against the file's
 * tensors before anything is allocated, so a config that claims a far larger model than the file
 * holds fails with a message instead of exhausting memory.
 */
public final class CheckpointModel {
  static final String CONFIG_KEY = "statex.config";
  private static final String FILE = "model.safetensors";

  private CheckpointModel() {}

  /** The model.safetensors that a path names. */
  public static Path locate(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return path;
    }
    if (Files.isRegularFile(path.resolve(FILE))) {
      return path.resolve(FILE);
    }
    Path latest = path.resolve("latest");
    if (Files.isRegularFile(latest)) {
      String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
      if (!name.matches("step-\\d{8}")) {
        throw new IOException(latest + ": expected a checkpoint name like step-00000100, found '"
            + name.substring(0, Math.min(40, name.length())) + "'");
      }
      return locate(path.resolve(name));
    }
    throw new IOException(path + ": expected a " + FILE + " file, a directory holding one, or a checkpoint directory with"
        + " 'latest'; found none of these");
  }

  /** The model config stored in the file's metadata, checked against the tensors the file holds. */
  public static ModelConfig config(Path file) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      String json = f.metadata().get(CONFIG_KEY);
      if (json == null) {
        throw new IOException(file + ": metadata '" + CONFIG_KEY + "' is missing (not a statex checkpoint?)");
      }
      ModelConfig cfg;
      try {
        cfg = ModelConfigJson.read(json);
      } catch (JsonException e) {
        throw new IOException(file + ": metadata '" + CONFIG_KEY + "': " + e.getMessage(), e);
      }
      double held = f.tensors().stream().mapToDouble(TensorInfo::numel).sum();
      double least = leastParameters(cfg);
      if (least > held) {
        throw new IOException(String.format(java.util.Locale.ROOT, "%s: the config asks for at least %.0f parameters, the file"
            + " holds %.0f", file, least, held));
      }
      return cfg;
    }
  }

  /** Loads the model onto device with parameters stored in dtype (the file's values converted). */
  public static LanguageModel load(Path file, DType dtype, Device device) throws IOException {
    ModelConfig cfg = config(file);
    LanguageModel m = LanguageModel.empty(cfg, new Init(dtype, device, 0));
    try {
      Checkpoints.loadParameters(file, m.namedParameters());
      return m;
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * A lower bound on the parameter count of a config (the embedding, and each layer's widest
   * projection), in double so that absurd sizes cannot overflow.
   */
  private static double leastParameters(ModelConfig c) {
    double d = c.hidden();
    double n = (double) c.vocabSize() * d;
    for (LayerConfig l : c.layers()) {
      n += l instanceof GlaLayerConfig g ? d * (g.keyDim() + g.valueDim()) : d * ((Mamba2LayerConfig) l).inProjWidth();
    }
    return n;
  }
}

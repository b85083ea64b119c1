package io.statex.statex;

import io.statex.io.ModelConfigJson;
import io.statex.io.hf.HfCheckpoint;
import io.statex.io.safetensors.SafetensorsDType;
import io.statex.io.safetensors.SafetensorsFile;
import io.statex.io.safetensors.SafetensorsWriter;
import io.statex.io.safetensors.TensorInfo;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.train.Checkpoints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model alone in one safetensors file, its config (io.statex.io.ModelConfigJson, every layer
 * written out) in the metadata key {@code statex.config}: what io.statex.train.Checkpoints writes as
 * {@code step-N/model.safetensors}, and what {@code statex expand} writes. The file is untrusted: its
 * header is validated when opened, and the config must not claim more parameter elements than the
 * file holds before anything is allocated.
 */
public final class ModelCheckpoint {
  /** The file name inside a checkpoint directory. */
  public static final String FILE = "model.safetensors";
  /** The metadata key holding the model config. */
  public static final String CONFIG_KEY = "statex.config";

  private ModelCheckpoint() {}

  /**
   * The model a path names: the file itself, a directory holding model.safetensors, a training run's
   * directory whose {@code latest} names a step-N/ directory, or a Hugging Face folder (returned as
   * it is; {@link #load} and {@link #config} read it through io.statex.io.hf).
   */
  public static Path locate(Path path) throws IOException {
    if (isHuggingFace(path)) {
      return path;
    }
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
    throw new NoSuchFileException(path.toString(), null, "no model file; expected a " + FILE + " with \"" + CONFIG_KEY
        + "\" metadata, a directory holding one (a training checkpoint's step-N/), a training run's directory with"
        + " 'latest', or a Hugging Face folder with config.json");
  }

  /** A directory with a Hugging Face config.json (any layout io.statex.io.hf reads). */
  public static boolean isHuggingFace(Path path) {
    return Files.isDirectory(path) && Files.isRegularFile(path.resolve("config.json"));
  }

  /**
   * The model config stored in a model file (checked against the tensors the file holds), or of a
   * Hugging Face checkpoint directory.
   */
  public static ModelConfig config(Path file) throws IOException {
    if (isHuggingFace(file)) {
      return HfCheckpoint.readConfig(file).model();
    }
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      ModelConfig cfg = config(f);
      requireEnoughElements(f, cfg);
      return cfg;
    }
  }

  /** The model in a file, on device, with parameters stored in dtype (the file's values converted). */
  public static LanguageModel load(Path file, DType dtype, Device device) throws IOException {
    if (isHuggingFace(file)) {
      return HfCheckpoint.load(file, device, dtype);
    }
    LanguageModel m = LanguageModel.empty(config(file), new Init(dtype, device, 0));
    try {
      Checkpoints.loadParameters(file, m.namedParameters());
      return m;
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * The model in the file (or directory), on device. Parameters are BF16 when every stored tensor
   * is BF16, F32 otherwise (each tensor converted as SafetensorsFile.loadAs does).
   */
  public static LanguageModel load(Path path, Device device) throws IOException {
    if (isHuggingFace(path)) {
      return HfCheckpoint.load(path, device, DType.F32);
    }
    Path file = locate(path);
    DType dtype;
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      dtype = f.tensors().stream().allMatch(t -> t.dtype() == SafetensorsDType.BF16) ? DType.BF16 : DType.F32;
    }
    return load(file, dtype, device);
  }

  /** Writes dir/model.safetensors (temporary file, forced, renamed over the target) with extra metadata. */
  public static Path save(Path dir, LanguageModel m, Map<String, String> metadata) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata(metadata)
        .metadata(CONFIG_KEY, ModelConfigJson.write(m.config()));
    m.namedParameters().forEach((n, p) -> w.put(n, p.value()));
    w.write(file);
    return file;
  }

  private static ModelConfig config(SafetensorsFile f) throws IOException {
    String json = f.metadata().get(CONFIG_KEY);
    if (json == null) {
      throw new IOException(f.path() + ": no \"" + CONFIG_KEY + "\" in the metadata (keys: " + f.metadata().keySet()
          + "); expected a model written by statex train or statex expand");
    }
    try {
      return ModelConfigJson.read(json);
    } catch (IOException e) {
      throw new IOException(f.path() + ": metadata \"" + CONFIG_KEY + "\": " + e.getMessage(), e);
    }
  }

  /** The config's parameter count must fit in the file, which bounds what the model allocates. */
  private static void requireEnoughElements(SafetensorsFile f, ModelConfig cfg) throws IOException {
    long want;
    try {
      want = ParameterCounts.model(cfg);
    } catch (IllegalArgumentException e) {
      throw new IOException(f.path() + ": metadata \"" + CONFIG_KEY + "\": " + e.getMessage(), e);
    }
    long held = 0;
    for (TensorInfo t : f.tensors()) {
      held += t.numel();
    }
    if (want > held) {
      throw new IOException(f.path() + ": the config in \"" + CONFIG_KEY + "\" describes " + want
          + " parameter elements, the file holds " + held);
    }
  }
}

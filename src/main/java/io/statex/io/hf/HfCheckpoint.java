package io.statex.io.hf;

import io.statex.io.ModelConfigJson;
import io.statex.io.safetensors.AtomicFile;
import io.statex.io.safetensors.SafetensorsCheckpoint;
import io.statex.io.safetensors.SafetensorsDType;
import io.statex.io.safetensors.ShardedWriter;
import io.statex.io.safetensors.TensorInfo;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.Parameter;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A model checkpoint on disk, opened for loading into a {@link LanguageModel}: a Hugging Face
 * directory ({@code config.json} in one of the {@link Layout}s, with {@code model.safetensors} or a
 * sharded {@code model.safetensors.index.json}), or one of the engine's training checkpoints (a
 * {@code step-NNNNNNNN} directory, or the directory whose {@code latest} names one; the model config
 * is in the weights' metadata).
 *
 * <p>Loading checks the checkpoint against the config before it allocates the model: every
 * parameter the config implies must be present under the layout's name with the implied shape and
 * a float type, and no tensor may be left over (a tied head stored anyway is allowed when it equals
 * the embedding). Errors name the file, the tensor, the expected and the found value.
 *
 * <p>{@link #save} writes a model in a layout the reference Python libraries read: config.json, the
 * weights under the layout's names with the metadata {@code {"format": "pt"}}, a tied head stored
 * once (as the embedding), shards and an index past {@code maxShardBytes}.
 */
public final class HfCheckpoint implements AutoCloseable {
  /** Hugging Face's default shard size ("5GB"). */
  public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;

  private static final Logger LOG = Logger.getLogger(HfCheckpoint.class.getName());
  private static final String TIED_HEAD = "lm_head.weight";
  private static final String TRAINING_CONFIG_KEY = "statex.config";
  private static final int LISTED = 6;

  private final Path directory;
  private final String configSource;
  private final HfConfig config;
  private final SafetensorsCheckpoint tensors;

  private HfCheckpoint(Path directory, String configSource, HfConfig config, SafetensorsCheckpoint tensors) {
    this.directory = directory;
    this.configSource = configSource;
    this.config = config;
    this.tensors = tensors;
  }

  /** Opens a checkpoint directory (or its config.json): reads the config and validates the safetensors headers. */
  public static HfCheckpoint open(Path path) throws IOException {
    Path dir = Files.isRegularFile(path) && path.getFileName().toString().equals(HfConfigJson.FILE_NAME)
        ? path.toAbsolutePath().getParent() : trainingStep(path);
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(path + ": not a checkpoint directory (expected config.json with model.safetensors, "
          + "or a training checkpoint)");
    }
    Path configFile = dir.resolve(HfConfigJson.FILE_NAME);
    HfConfig config = Files.isRegularFile(configFile) ? HfConfigJson.read(configFile) : null;
    SafetensorsCheckpoint tensors = SafetensorsCheckpoint.open(dir);
    try {
      if (config != null) {
        return new HfCheckpoint(dir, configFile.toString(), config, tensors);
      }
      String json = tensors.files().get(0).metadata().get(TRAINING_CONFIG_KEY);
      if (json == null) {
        throw new CheckpointException(dir + ": no " + HfConfigJson.FILE_NAME + ", and " + tensors.files().get(0).path()
            + " has no \"" + TRAINING_CONFIG_KEY + "\" metadata of a training checkpoint");
      }
      ModelConfig model = ModelConfigJson.read(json);
      String source = tensors.files().get(0).path() + " metadata " + TRAINING_CONFIG_KEY;
      return new HfCheckpoint(dir, source, HfConfig.of(model, Layout.nativeFor(model.family())), tensors);
    } catch (IOException | RuntimeException e) {
      tensors.close();
      throw e;
    }
  }

  /** Opens, loads on the device in the dtype, closes. */
  public static LanguageModel load(Path path, Device device, DType dtype) throws IOException {
    try (HfCheckpoint c = open(path)) {
      return c.load(device, dtype);
    }
  }

  /** Just the config of a checkpoint (a HF directory or a training checkpoint). */
  public static HfConfig readConfig(Path path) throws IOException {
    try (HfCheckpoint c = open(path)) {
      return c.config();
    }
  }

  public HfConfig config() {
    return config;
  }

  /** The directory holding the weights. */
  public Path directory() {
    return directory;
  }

  /** BF16 when the embedding is stored in BF16, else F32: the dtype a conversion keeps. */
  public DType storedDType() throws IOException {
    String emb = resolve().get(ParameterShapes.embedding(config.model()));
    return tensors.info(emb).dtype() == SafetensorsDType.BF16 ? DType.BF16 : DType.F32;
  }

  /** Builds the model on device with parameters in dtype (F32 or BF16) and fills it from the checkpoint. */
  public LanguageModel load(Device device, DType dtype) throws IOException {
    if (dtype != DType.F32 && dtype != DType.BF16) {
      throw new IllegalArgumentException("load: dtype must be F32 or BF16, got " + dtype);
    }
    Map<String, String> names = resolve();
    LanguageModel m = LanguageModel.empty(config.model(), new Init(dtype, device, 0));
    try {
      for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
        String file = names.get(e.getKey());
        if (file == null) {
          throw new IllegalStateException("parameter " + e.getKey() + " is not in ParameterShapes' table");
        }
        try (Tensor host = tensors.loadAs(file, dtype, Device.CPU)) {
          e.getValue().value().copyFrom(host);
        }
      }
      if (config.model().tieEmbeddings() && tensors.contains(TIED_HEAD)) {
        requireEqual(names.get(ParameterShapes.embedding(config.model())), TIED_HEAD);
      }
      LOG.info(() -> String.format(Locale.ROOT, "loaded %s: layout %s (config %s), %d layers%s, %,d parameters as %s on %s",
          directory, config.layout(), configSource, config.model().layers().size(),
          new HashSet<>(config.model().layers()).size() > 1 ? " (layers differ)" : "", m.parameterCount(), dtype, device));
      return m;
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Our parameter name to the checkpoint's tensor name, after checking that every parameter is
   * there with its shape and a float type and that nothing else is.
   */
  private Map<String, String> resolve() throws CheckpointException {
    Map<String, String> chosen = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, long[]> e : ParameterShapes.of(config.model()).entrySet()) {
      String found = null;
      for (String name : config.layout().acceptedNames(e.getKey())) {
        if (tensors.contains(name)) {
          found = name;
          break;
        }
      }
      if (found == null) {
        missing.add(config.layout().fileName(e.getKey()));
      } else {
        checkTensor(found, e.getValue());
        chosen.put(e.getKey(), found);
      }
    }
    if (!missing.isEmpty()) {
      String hint = missing.contains(TIED_HEAD) ? " (" + configSource + " says the head is not tied to the embedding)" : "";
      throw new CheckpointException(tensors.source() + ": " + missing.size() + " tensor(s) that " + configSource
          + " implies are missing: " + listed(missing) + hint);
    }
    Set<String> extra = new HashSet<>(tensors.names());
    extra.removeAll(chosen.values());
    if (config.model().tieEmbeddings() && extra.remove(TIED_HEAD)) {
      checkTensor(TIED_HEAD, new long[] {config.model().vocabSize(), config.model().hidden()});
    }
    if (!extra.isEmpty()) {
      List<String> sorted = new ArrayList<>(extra);
      sorted.sort(null);
      throw new CheckpointException(tensors.source() + ": " + sorted.size() + " tensor(s) that " + configSource
          + " does not account for: " + listed(sorted));
    }
    return chosen;
  }

  private void checkTensor(String name, long[] shape) throws CheckpointException {
    TensorInfo info = tensors.info(name);
    Path file = tensors.file(name).path();
    if (!Arrays.equals(info.shape(), shape)) {
      throw new CheckpointException(file + ": tensor \"" + name + "\" has shape " + Arrays.toString(info.shape()) + ", but "
          + configSource + " implies " + Arrays.toString(shape));
    }
    if (info.dtype().kind() != SafetensorsDType.Kind.FLOAT) {
      throw new CheckpointException(file + ": tensor \"" + name + "\" is " + info.dtype() + ", expected a float type");
    }
  }

  /** A stored tied head must equal the embedding, else the config's tying would change the model. */
  private void requireEqual(String embedding, String head) throws IOException {
    long rows = config.model().vocabSize();
    long step = Math.max(1, (8L << 20) / config.model().hidden());
    try (Tensor a = tensors.loadAs(embedding, DType.F32, Device.CPU);
        Tensor b = tensors.loadAs(head, DType.F32, Device.CPU)) {
      for (long r = 0; r < rows; r += step) {
        long end = Math.min(rows, r + step);
        try (Tensor x = a.slice(0, r, end); Tensor y = b.slice(0, r, end)) {
          if (!Arrays.equals(x.toFloatArray(), y.toFloatArray())) {
            throw new CheckpointException(tensors.file(head).path() + ": tensor \"" + head + "\" differs from \"" + embedding
                + "\" (rows " + r + " to " + end + "), but " + configSource + " ties the head to the embedding");
          }
        }
      }
    }
  }

  private static String listed(List<String> names) {
    List<String> shown = new ArrayList<>();
    for (String n : names.subList(0, Math.min(LISTED, names.size()))) {
      shown.add("\"" + n + "\"");
    }
    return String.join(", ", shown) + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
  }

  /** A training checkpoint root (with {@code latest}) resolved to its newest step; other paths as they are. */
  private static Path trainingStep(Path path) throws IOException {
    Path latest = path.resolve("latest");
    if (!Files.isDirectory(path) || !Files.isRegularFile(latest) || Files.exists(path.resolve(HfConfigJson.FILE_NAME))) {
      return path;
    }
    String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
    if (!name.matches("step-\\d{8}")) {
      throw new CheckpointException(latest + ": expected a checkpoint name like step-00000100, found '"
          + (name.length() > 40 ? name.substring(0, 40) + "..." : name) + "'");
    }
    return path.resolve(name);
  }

  /** Writes the model into dir in the layout, with no special tokens named and the default shard size. */
  public static void save(LanguageModel model, Path dir, Layout layout) throws IOException {
    save(model, HfConfig.of(model.config(), layout), dir, DEFAULT_SHARD_BYTES);
  }

  /**
   * Writes config.json and the weights (sharded past maxShardBytes) into dir, created if needed. The
   * config is checked first, so a model the layout cannot express writes nothing.
   */
  public static void save(LanguageModel model, HfConfig config, Path dir, long maxShardBytes) throws IOException {
    if (!config.model().equals(model.config())) {
      throw new IllegalArgumentException("save: the config describes " + config.model() + ", the model is " + model.config());
    }
    byte[] text = HfConfigJson.write(config).getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(dir);
    ShardedWriter w = new ShardedWriter(maxShardBytes).metadata("format", "pt");
    model.namedParameters().forEach((name, p) -> w.put(config.layout().fileName(name), p.value()));
    w.write(dir);
    AtomicFile.write(dir.resolve(HfConfigJson.FILE_NAME), text);
  }

  @Override
  public void close() throws IOException {
    tensors.close();
  }

  /** The checkpoint's safetensors view (for inspection). */
  public SafetensorsCheckpoint tensors() {
    return tensors;
  }
}

package io.statex.train;

import io.statex.io.ModelConfigJson;
import io.statex.io.safetensors.SafetensorsFile;
import io.statex.io.safetensors.SafetensorsWriter;
import io.statex.nn.ModelConfig;
import io.statex.nn.Parameter;
import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Training checkpoints in a directory:
 *
 * <pre>
 *   step-00000100/model.safetensors       parameters by name, in their stored dtype (config in metadata)
 *   step-00000100/optimizer.safetensors   AdamW moments "m.NAME", "v.NAME"; step counters in metadata
 *   latest                                the name of the newest complete checkpoint
 * </pre>
 *
 * A checkpoint is written under a temporary name, each file forced to disk, then renamed into place,
 * and only then does {@code latest} (itself replaced atomically) point at it: a crash at any moment
 * leaves the previous checkpoint as the latest. The oldest are removed beyond {@code keep}.
 */
public final class Checkpoints {
  private static final String LATEST = "latest";

  private Checkpoints() {}

  /** The trainer's counters saved with a checkpoint. */
  public record State(long step, long skipped, long tokens) {}

  public static Path save(Path dir, State s, Map<String, Parameter> params, AdamW opt, ModelConfig model, int keep)
      throws IOException {
    Files.createDirectories(dir);
    String name = String.format("step-%08d", s.step());
    Path tmp = dir.resolve(name + ".tmp");
    Path done = dir.resolve(name);
    deleteTree(tmp);
    Files.createDirectories(tmp);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("statex.config",
        ModelConfigJson.write(model));
    params.forEach((n, p) -> w.put(n, p.value()));
    w.write(tmp.resolve("model.safetensors"));
    SafetensorsWriter o = new SafetensorsWriter().metadata("step", Long.toString(s.step()))
        .metadata("skipped", Long.toString(s.skipped())).metadata("tokens", Long.toString(s.tokens()))
        .metadata("optimizer_steps", Long.toString(opt.steps()));
    opt.state().forEach(o::put);
    o.write(tmp.resolve("optimizer.safetensors"));
    deleteTree(done);
    move(tmp, done);
    Path latestTmp = dir.resolve(LATEST + ".tmp");
    Files.write(latestTmp, name.getBytes(StandardCharsets.UTF_8));
    try (var ch = java.nio.channels.FileChannel.open(latestTmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    move(latestTmp, dir.resolve(LATEST));
    prune(dir, keep, name);
    return done;
  }

  /** Loads the newest checkpoint into params and opt; null when the directory has none. */
  public static State loadLatest(Path dir, Map<String, Parameter> params, AdamW opt) throws IOException {
    Path latest = dir.resolve(LATEST);
    if (!Files.isRegularFile(latest)) {
      return null;
    }
    String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
    if (!name.matches("step-\\d{8}")) {
      throw new IOException(latest + ": expected a checkpoint name like step-00000100, found '" + name + "'");
    }
    Path ck = dir.resolve(name);
    loadParameters(ck.resolve("model.safetensors"), params);
    try (SafetensorsFile f = SafetensorsFile.open(ck.resolve("optimizer.safetensors"))) {
      Map<String, Tensor> state = new HashMap<>();
      try {
        for (String n : f.names()) {
          state.put(n, f.load(n, io.statex.tensor.Device.CPU));
        }
        Map<String, String> meta = f.metadata();
        opt.load(state, number(meta, "optimizer_steps", f));
        return new State(number(meta, "step", f), number(meta, "skipped", f), number(meta, "tokens", f));
      } finally {
        state.values().forEach(Tensor::close);
      }
    }
  }

  /** Copies every parameter from a safetensors file (names, shapes and dtypes must match). */
  public static void loadParameters(Path file, Map<String, Parameter> params) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        if (!f.contains(e.getKey())) {
          throw new IOException(file + ": parameter '" + e.getKey() + "' is missing");
        }
        Tensor dst = e.getValue().value();
        try (Tensor src = f.loadAs(e.getKey(), dst.dtype(), io.statex.tensor.Device.CPU)) {
          if (!java.util.Arrays.equals(src.shapeRef(), dst.shapeRef())) {
            throw new IOException(file + ": parameter '" + e.getKey() + "' has shape "
                + java.util.Arrays.toString(src.shapeRef()) + ", the model expects " + java.util.Arrays.toString(dst.shapeRef()));
          }
          dst.copyFrom(src);
        }
      }
    }
  }

  private static long number(Map<String, String> meta, String key, SafetensorsFile f) throws IOException {
    String v = meta.get(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException | NullPointerException e) {
      throw new IOException(f.path() + ": metadata '" + key + "' should be an integer, found " + v);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void prune(Path dir, int keep, String newest) throws IOException {
    if (keep <= 0) {
      return;
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "step-????????")) {
      ds.forEach(p -> names.add(p.getFileName().toString()));
    }
    names.sort(null);
    for (int i = 0; i < names.size() - keep; i++) {
      if (!names.get(i).equals(newest)) {
        deleteTree(dir.resolve(names.get(i)));
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}

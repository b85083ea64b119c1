package io.statex.io.safetensors;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One name -> tensor view over a checkpoint that is either a single safetensors file or a
 * directory of shards with a {@code model.safetensors.index.json} (as Hugging Face publishes large
 * models). {@link #open} accepts a {@code .safetensors} file, an index file, or a directory holding
 * an index (preferred) or a {@code model.safetensors}.
 *
 * <p>Opening validates everything but the tensor values: the index ({@link ShardIndex}: plain file
 * names inside the directory, each tensor mapped once, every file present), every shard's header
 * ({@link SafetensorsFile}), and that each shard holds the tensors the index maps to it. Tensors a
 * shard holds but the index does not list are not part of the view. Loads convert element types
 * as {@link SafetensorsFile#load} describes.
 */
public final class SafetensorsCheckpoint implements AutoCloseable {
  private final Path source;
  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> byName;

  private SafetensorsCheckpoint(Path source, List<SafetensorsFile> files, Map<String, SafetensorsFile> byName) {
    this.source = source;
    this.files = Collections.unmodifiableList(files);
    this.byName = Collections.unmodifiableMap(byName);
  }

  public static SafetensorsCheckpoint open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      Path index = path.resolve(ShardIndex.FILE_NAME);
      if (Files.exists(index)) {
        return openIndex(index);
      }
      Path single = path.resolve(ShardedWriter.SINGLE_FILE);
      if (Files.exists(single)) {
        return openSingle(single);
      }
      throw new SafetensorsException(path, null, "the directory holds neither " + ShardIndex.FILE_NAME + " nor " + ShardedWriter.SINGLE_FILE);
    }
    return path.getFileName().toString().endsWith(".index.json") ? openIndex(path) : openSingle(path);
  }

  private static SafetensorsCheckpoint openSingle(Path file) throws IOException {
    SafetensorsFile f = SafetensorsFile.open(file);
    Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
    for (TensorInfo t : f.tensors()) {
      byName.put(t.name(), f);
    }
    return new SafetensorsCheckpoint(file, new ArrayList<>(List.of(f)), byName);
  }

  private static SafetensorsCheckpoint openIndex(Path indexFile) throws IOException {
    ShardIndex index = ShardIndex.read(indexFile);
    Path dir = indexFile.toAbsolutePath().getParent();
    Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
    try {
      Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : index.weightMap().entrySet()) {
        SafetensorsFile f = opened.get(e.getValue());
        if (f == null) {
          f = SafetensorsFile.open(dir.resolve(e.getValue()));
          opened.put(e.getValue(), f);
        }
        if (!f.contains(e.getKey())) {
          throw new SafetensorsException(indexFile, e.getKey(), "the index maps it to " + SafetensorsException.quoteName(e.getValue()) + ", which has no such tensor");
        }
        byName.put(e.getKey(), f);
      }
      return new SafetensorsCheckpoint(indexFile, new ArrayList<>(opened.values()), byName);
    } catch (IOException | RuntimeException e) {
      closeAll(opened.values(), e);
      throw e;
    }
  }

  /** The file or index this view was opened from. */
  public Path source() {
    return source;
  }

  /** The files behind the view (one, or the shards in the order the index first names them). */
  public List<SafetensorsFile> files() {
    return files;
  }

  /** Tensor names, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(byName.keySet());
    Collections.sort(names);
    return names;
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  public TensorInfo info(String name) {
    return file(name).info(name);
  }

  /** The file holding a tensor; IllegalArgumentException if the checkpoint has none by that name. */
  public SafetensorsFile file(String name) {
    SafetensorsFile f = byName.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no tensor " + SafetensorsException.quoteName(name) + " in " + source + " (it holds " + byName.size() + " tensors)");
    }
    return f;
  }

  public Tensor load(String name, Device device) throws IOException {
    return file(name).load(name, device);
  }

  public Tensor loadAs(String name, DType dtype, Device device) throws IOException {
    return file(name).loadAs(name, dtype, device);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void closeAll(Iterable<SafetensorsFile> files, Exception cause) {
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (IOException e) {
        cause.addSuppressed(e);
      }
    }
  }
}

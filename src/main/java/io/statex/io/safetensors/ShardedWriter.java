package io.statex.io.safetensors;

import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a checkpoint into a directory the way the Hugging Face tools lay it out: one
 * {@code model.safetensors} when everything fits in one shard, else shards named
 * {@code model-00001-of-00003.safetensors} (split by {@link ShardPlan} in the order tensors were
 * put) and a {@code model.safetensors.index.json} mapping every tensor to its shard ({@link
 * ShardIndex}). Every shard carries the same metadata, which includes {@code "format": "pt"} unless
 * the caller sets "format" (the Hugging Face loaders refuse a metadata map without a known format).
 *
 * <p>Each file is replaced atomically ({@link AtomicFile}) and the index is written last; then
 * files of an earlier save that the new one does not use ({@code model.safetensors}, the index,
 * {@code model-NNNNN-of-NNNNN.safetensors}) are deleted, and nothing else. Overwriting a sharded
 * checkpoint in place is therefore atomic per file, not as a whole: for an all-or-nothing save,
 * write into a fresh directory and rename it.
 */
public final class ShardedWriter {
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = ShardIndex.FILE_NAME;
  private static final Pattern SHARD_NAME = Pattern.compile("model-\\d{5}-of-\\d{5}\\.safetensors");

  private final long maxShardBytes;
  private final NamedTensors contents = new NamedTensors();

  /** @param maxShardBytes most tensor bytes per shard (a larger tensor gets a shard of its own) */
  public ShardedWriter(long maxShardBytes) {
    if (maxShardBytes <= 0) {
      throw new IllegalArgumentException("maxShardBytes must be > 0, got " + maxShardBytes);
    }
    this.maxShardBytes = maxShardBytes;
  }

  /** Adds a tensor (not copied until {@link #write}: keep it open until then). */
  public ShardedWriter put(String name, Tensor tensor) {
    contents.put(name, tensor);
    return this;
  }

  public ShardedWriter metadata(String key, String value) {
    contents.metadata(key, value);
    return this;
  }

  /** The name of shard i (0-based) of n: {@code model-0000<i+1>-of-0000<n>.safetensors}. */
  public static String shardName(int i, int n) {
    return String.format("model-%05d-of-%05d.safetensors", i + 1, n);
  }

  /** Writes the checkpoint into directory (created if needed); returns the files written, index last. */
  public List<Path> write(Path directory) throws IOException {
    Files.createDirectories(directory);
    List<String> names = new ArrayList<>(contents.tensors().keySet());
    long[] sizes = new long[names.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = SafetensorsWriter.byteSize(contents.tensors().get(names.get(i)));
    }
    List<List<Integer>> shards = ShardPlan.split(sizes, maxShardBytes);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", "pt");
    metadata.putAll(contents.metadata());
    List<Path> written = new ArrayList<>();
    Map<String, String> weightMap = new LinkedHashMap<>();
    long total = 0;
    for (int s = 0; s < shards.size(); s++) {
      String file = shards.size() == 1 ? SINGLE_FILE : shardName(s, shards.size());
      Map<String, Tensor> part = new LinkedHashMap<>();
      for (int i : shards.get(s)) {
        part.put(names.get(i), contents.tensors().get(names.get(i)));
        weightMap.put(names.get(i), file);
        total += sizes[i];
      }
      Path target = directory.resolve(file);
      SafetensorsWriter.writeFile(target, part, metadata);
      written.add(target);
    }
    if (shards.size() > 1) {
      Path index = directory.resolve(INDEX_FILE);
      byte[] text = ShardIndex.encode(weightMap, total).getBytes(StandardCharsets.UTF_8);
      AtomicFile.write(index, text);
      written.add(index);
    }
    removeStale(directory, written);
    return written;
  }

  /** Deletes the checkpoint files of an earlier save that this one did not write (index first). */
  private static void removeStale(Path directory, List<Path> written) throws IOException {
    Set<String> keep = new HashSet<>();
    for (Path p : written) {
      keep.add(p.getFileName().toString());
    }
    List<Path> stale = new ArrayList<>();
    if (!keep.contains(INDEX_FILE)) {
      stale.add(directory.resolve(INDEX_FILE));
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!keep.contains(name) && (name.equals(SINGLE_FILE) || SHARD_NAME.matcher(name).matches())) {
          stale.add(p);
        }
      }
    }
    boolean any = false;
    for (Path p : stale) {
      any |= Files.deleteIfExists(p);
    }
    if (any) {
      AtomicFile.syncDirectory(directory);
    }
  }
}

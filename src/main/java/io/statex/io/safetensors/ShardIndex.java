package io.statex.io.safetensors;

import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonValue;
import io.statex.io.json.JsonWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sharded checkpoint's {@code model.safetensors.index.json}: {@code {"metadata": {"total_size":
 * N, ...}, "weight_map": {tensor name: shard file name}}}.
 *
 * <p>{@link #read} treats the index as hostile: bounded size, strict JSON, {@code weight_map} an
 * object of strings (JSON duplicate keys, so a name mapped twice, are errors), and every file name
 * a plain name inside the index's directory (no separators, no "." or "..") that exists there.
 * Other members of {@code metadata} are allowed and ignored. {@link #encode} writes what the
 * Hugging Face tools write (two-space indent, sorted keys, ASCII escapes, final newline).
 */
record ShardIndex(Map<String, String> weightMap) {

  static final String FILE_NAME = "model.safetensors.index.json";
  private static final long MAX_INDEX_BYTES = 100_000_000L;

  static ShardIndex read(Path indexFile) throws IOException {
    JsonValue top = parse(indexFile);
    if (!(top instanceof JsonValue.Obj obj)) {
      throw new SafetensorsException(indexFile, null, "the index must be a JSON object, found a " + top.typeName());
    }
    JsonValue meta = obj.members().get("metadata");
    if (meta != null && !(meta instanceof JsonValue.Obj)) {
      throw new SafetensorsException(indexFile, null, "\"metadata\" must be an object, found a " + meta.typeName());
    }
    JsonValue map = obj.members().get("weight_map");
    if (!(map instanceof JsonValue.Obj weights)) {
      throw new SafetensorsException(indexFile, null, "\"weight_map\" must be an object of tensor name -> file name, found " + (map == null ? "none" : "a " + map.typeName()));
    }
    Path dir = indexFile.toAbsolutePath().getParent();
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> checked = new HashSet<>();
    for (Map.Entry<String, JsonValue> e : weights.members().entrySet()) {
      if (!(e.getValue() instanceof JsonValue.Str file)) {
        throw new SafetensorsException(indexFile, e.getKey(), "weight_map value must be a file name string, found a " + e.getValue().typeName());
      }
      if (checked.add(file.value())) {
        checkFileName(indexFile, e.getKey(), dir, file.value());
      }
      out.put(e.getKey(), file.value());
    }
    return new ShardIndex(Collections.unmodifiableMap(out));
  }

  /** The index text for a weight map and the total tensor bytes. */
  static String encode(Map<String, String> weightMap, long totalSize) {
    StringBuilder sb = new StringBuilder("{\n  \"metadata\": {\n    \"total_size\": ").append(totalSize).append("\n  },\n  \"weight_map\": {");
    String sep = "\n";
    for (Map.Entry<String, String> e : sorted(weightMap).entrySet()) {
      sb.append(sep).append("    ").append(JsonWriter.quote(e.getKey(), true)).append(": ").append(JsonWriter.quote(e.getValue(), true));
      sep = ",\n";
    }
    return sb.append(weightMap.isEmpty() ? "}\n}\n" : "\n  }\n}\n").toString();
  }

  private static Map<String, String> sorted(Map<String, String> m) {
    Map<String, String> out = new TreeMap<>(HeaderWriter.CODE_POINT_ORDER);
    out.putAll(m);
    return out;
  }

  private static JsonValue parse(Path indexFile) throws IOException {
    try (FileChannel ch = FileChannel.open(indexFile, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > MAX_INDEX_BYTES) {
        throw new SafetensorsException(indexFile, null, "the index is " + size + " bytes, over the limit of " + MAX_INDEX_BYTES);
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) size);
      ChannelIo.readFully(indexFile, ch, bytes, 0);
      return Json.parse(bytes.array(), Json.DEFAULT_LIMITS.withMaxLength(MAX_INDEX_BYTES), Json.Syntax.STRICT, "the index");
    } catch (JsonException e) {
      throw new SafetensorsException(indexFile, null, "the index is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** A plain file name that stays inside dir and names an existing regular file (links followed). */
  private static void checkFileName(Path indexFile, String tensor, Path dir, String name) throws SafetensorsException {
    boolean plain = !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    Path resolved;
    try {
      resolved = plain ? dir.resolve(name).normalize() : null;
    } catch (java.nio.file.InvalidPathException e) {
      resolved = null;
    }
    if (resolved == null || !dir.normalize().equals(resolved.getParent())) {
      throw new SafetensorsException(indexFile, tensor, "file name " + SafetensorsException.quoteName(name) + " must be a plain name inside " + dir);
    }
    if (!Files.isRegularFile(resolved)) {
      throw new SafetensorsException(indexFile, tensor, "file " + SafetensorsException.quoteName(name) + " is not a regular file in " + dir);
    }
  }
}

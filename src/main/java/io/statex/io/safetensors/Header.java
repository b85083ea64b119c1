package io.statex.io.safetensors;

import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The validated header of one safetensors file: the string metadata, the tensors in the order of
 * their bytes, and where the data buffer starts and how long it is.
 *
 * <p>{@link #read} treats the file as hostile. The header length is bounded (at most
 * {@link #MAX_HEADER_BYTES}, and no more than the file holds) before anything is allocated; the
 * header must be strict UTF-8 JSON starting with '{'; each entry needs exactly dtype, shape and
 * data_offsets; dimensions and offsets are non-negative integers; element counts are computed with
 * overflow checks and must match the byte range; and the ranges must tile the data buffer exactly,
 * from 0 to the end of the file, without holes or overlaps (the reference implementation's rule).
 */
record Header(Map<String, String> metadata, List<TensorInfo> tensors, long dataStart, long dataLength) {

  /** The reference implementation's limit; real headers are at most a few megabytes. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA_KEY = "__metadata__";

  /** dtype, shape, data_offsets: a header's deepest legitimate nesting is 3. */
  private static final Json.Limits LIMITS = Json.DEFAULT_LIMITS.withMaxLength(MAX_HEADER_BYTES).withMaxDepth(8);

  private static final List<String> FIELDS = List.of("dtype", "shape", "data_offsets");

  static Header read(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new SafetensorsException(file, null, "the file is " + size + " bytes, shorter than the 8-byte header length");
    }
    long n = readLength(file, channel, size);
    byte[] bytes = new byte[(int) n];
    ChannelIo.readFully(file, channel, ByteBuffer.wrap(bytes), 8);
    long dataLength = size - 8 - n;
    JsonValue.Obj top = parseJson(file, bytes);
    Map<String, String> metadata = Map.of();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonValue> e : top.members().entrySet()) {
      if (e.getKey().equals(METADATA_KEY)) {
        metadata = metadata(file, e.getValue());
      } else {
        tensors.add(entry(file, e.getKey(), e.getValue(), dataLength));
      }
    }
    tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    checkCoverage(file, tensors, dataLength);
    return new Header(metadata, Collections.unmodifiableList(tensors), 8 + n, dataLength);
  }

  /** The 8-byte little-endian unsigned header length, checked against the limit and the file. */
  private static long readLength(Path file, FileChannel channel, long size) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    ChannelIo.readFully(file, channel, b, 0);
    long n = b.getLong(0);
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw new SafetensorsException(file, null, "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
    }
    if (n > size - 8) {
      throw new SafetensorsException(file, null, "header length " + n + " runs past the end of the file (" + size + " bytes, " + (size - 8) + " after the length)");
    }
    return n;
  }

  private static JsonValue.Obj parseJson(Path file, byte[] bytes) throws SafetensorsException {
    String text;
    try {
      text = Json.decodeUtf8(bytes, "header");
    } catch (JsonException e) {
      throw new SafetensorsException(file, null, "header is not valid UTF-8", e);
    }
    if (text.isEmpty() || text.charAt(0) != '{') {
      String found = text.isEmpty() ? "an empty header" : String.format("U+%04X", (int) text.charAt(0));
      throw new SafetensorsException(file, null, "header must start with '{', found " + found);
    }
    try {
      return (JsonValue.Obj) Json.parse(text, LIMITS);
    } catch (JsonException e) {
      throw new SafetensorsException(file, null, "header is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> metadata(Path file, JsonValue value) throws SafetensorsException {
    if (!(value instanceof JsonValue.Obj obj)) {
      throw new SafetensorsException(file, null, METADATA_KEY + " must be an object of strings, found a " + value.typeName());
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonValue> e : obj.members().entrySet()) {
      if (!(e.getValue() instanceof JsonValue.Str s)) {
        throw new SafetensorsException(
            file, null, METADATA_KEY + " value of key " + SafetensorsException.quoteName(e.getKey()) + " must be a string, found a " + e.getValue().typeName());
      }
      out.put(e.getKey(), s.value());
    }
    return Collections.unmodifiableMap(out);
  }

  private static TensorInfo entry(Path file, String name, JsonValue value, long dataLength) throws SafetensorsException {
    if (!(value instanceof JsonValue.Obj obj)) {
      throw new SafetensorsException(file, name, "entry must be an object with dtype, shape and data_offsets, found a " + value.typeName());
    }
    for (String key : obj.members().keySet()) {
      if (!FIELDS.contains(key)) {
        throw new SafetensorsException(file, name, "unknown field " + SafetensorsException.quoteName(key) + " (allowed: dtype, shape, data_offsets)");
      }
    }
    SafetensorsDType dtype = dtype(file, name, field(file, name, obj, "dtype"));
    long[] shape = integers(file, name, "shape", field(file, name, obj, "shape"));
    long[] offsets = integers(file, name, "data_offsets", field(file, name, obj, "data_offsets"));
    if (offsets.length != 2) {
      throw new SafetensorsException(file, name, "data_offsets must hold 2 integers [begin, end], found " + offsets.length);
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw new SafetensorsException(file, name, "data_offsets [" + begin + ", " + end + "]: begin is after end");
    }
    if (end > dataLength) {
      throw new SafetensorsException(file, name, "data_offsets [" + begin + ", " + end + "] run past the end of the data buffer (" + dataLength + " bytes)");
    }
    long bytes = byteSize(file, name, dtype, shape);
    if (end - begin != bytes) {
      throw new SafetensorsException(
          file, name, "data_offsets [" + begin + ", " + end + "] hold " + (end - begin) + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static JsonValue field(Path file, String name, JsonValue.Obj obj, String key) throws SafetensorsException {
    JsonValue v = obj.members().get(key);
    if (v == null) {
      throw new SafetensorsException(file, name, "missing field \"" + key + "\"");
    }
    return v;
  }

  private static SafetensorsDType dtype(Path file, String name, JsonValue value) throws SafetensorsException {
    if (!(value instanceof JsonValue.Str s)) {
      throw new SafetensorsException(file, name, "dtype must be a string, found a " + value.typeName());
    }
    SafetensorsDType d = SafetensorsDType.byName(s.value());
    if (d == null) {
      throw new SafetensorsException(file, name, "unknown dtype " + SafetensorsException.quoteName(s.value()) + " (known: " + Arrays.toString(SafetensorsDType.values()) + ")");
    }
    return d;
  }

  /** An array of non-negative integer literals that fit in a long. */
  private static long[] integers(Path file, String name, String key, JsonValue value) throws SafetensorsException {
    if (!(value instanceof JsonValue.Arr arr)) {
      throw new SafetensorsException(file, name, key + " must be an array of integers, found a " + value.typeName());
    }
    long[] out = new long[arr.items().size()];
    for (int i = 0; i < out.length; i++) {
      JsonValue item = arr.items().get(i);
      OptionalLong v = item instanceof JsonValue.Num num ? num.exactLong() : OptionalLong.empty();
      if (v.isEmpty() || v.getAsLong() < 0) {
        String found = item instanceof JsonValue.Num num ? num.text() : "a " + item.typeName();
        throw new SafetensorsException(file, name, key + "[" + i + "] must be an integer in [0, 2^63), found " + SafetensorsException.quoteName(found));
      }
      out[i] = v.getAsLong();
    }
    return out;
  }

  /** Bytes the shape needs, with every product checked for overflow, as the reference does. */
  private static long byteSize(Path file, String name, SafetensorsDType dtype, long[] shape) throws SafetensorsException {
    long bits;
    try {
      long n = 1;
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      bits = Math.multiplyExact(n, (long) dtype.bits());
    } catch (ArithmeticException e) {
      throw new SafetensorsException(file, name, "shape " + Arrays.toString(shape) + " of " + dtype + " has more bits than a 64-bit count holds");
    }
    if (bits % 8 != 0) {
      throw new SafetensorsException(file, name, "shape " + Arrays.toString(shape) + " of " + dtype + " holds " + bits + " bits, not a whole number of bytes");
    }
    return bits / 8;
  }

  /** Sorted by (begin, end), the ranges must follow each other from 0 to the buffer's end. */
  private static void checkCoverage(Path file, List<TensorInfo> sorted, long dataLength) throws SafetensorsException {
    long expected = 0;
    TensorInfo previous = null;
    for (TensorInfo t : sorted) {
      if (t.begin() < expected) {
        throw new SafetensorsException(file, t.name(), "bytes [" + t.begin() + ", " + t.end() + ") overlap tensor " + SafetensorsException.quoteName(previous.name())
            + " at [" + previous.begin() + ", " + previous.end() + ")");
      }
      if (t.begin() > expected) {
        throw new SafetensorsException(file, t.name(), "bytes [" + expected + ", " + t.begin() + ") before this tensor belong to no tensor (the data buffer must have no holes)");
      }
      expected = t.end();
      previous = t;
    }
    if (expected != dataLength) {
      throw new SafetensorsException(file, null, "bytes [" + expected + ", " + dataLength + ") at the end of the data buffer belong to no tensor (the data buffer must have no holes)");
    }
  }
}

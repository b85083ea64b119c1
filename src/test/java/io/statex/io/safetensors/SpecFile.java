package io.statex.io.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Safetensors bytes assembled in the test straight from the format's rules, without any product
 * code: an 8-byte little-endian header length, the JSON header padded with spaces to a multiple of
 * 8, then the tensors' bytes end to end in the order they were added, each entry's data_offsets
 * counted from the start of that buffer. The header text is written with plain string
 * concatenation (names must not need JSON escapes).
 */
final class SpecFile {
  private final List<String> entries = new ArrayList<>();
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();
  private String metadataJson;

  /** A tensor of the given header dtype and shape whose bytes are raw (little-endian elements). */
  SpecFile add(String name, String dtype, long[] shape, byte[] raw) {
    long begin = data.size();
    data.writeBytes(raw);
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      s.append(i == 0 ? "" : ",").append(shape[i]);
    }
    entries.add("\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + s + "],\"data_offsets\":[" + begin + "," + data.size() + "]}");
    return this;
  }

  /** Metadata pairs key, value, key, value, ... (plain text). */
  SpecFile metadata(String... pairs) {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < pairs.length; i += 2) {
      s.append(i == 0 ? "" : ",").append('"').append(pairs[i]).append("\":\"").append(pairs[i + 1]).append('"');
    }
    metadataJson = s.append('}').toString();
    return this;
  }

  /** The header JSON, unpadded. */
  String headerJson() {
    List<String> members = new ArrayList<>();
    if (metadataJson != null) {
      members.add("\"__metadata__\":" + metadataJson);
    }
    members.addAll(entries);
    return "{" + String.join(",", members) + "}";
  }

  byte[] bytes() {
    return assemble(headerJson(), data.toByteArray());
  }

  Path writeTo(Path file) throws IOException {
    return Files.write(file, bytes());
  }

  /** Length field, header padded with spaces to a multiple of 8, data. */
  static byte[] assemble(String headerJson, byte[] data) {
    return assemble(headerJson.getBytes(StandardCharsets.UTF_8), data);
  }

  /** The same from header bytes as they are (which may be anything, for hostile-file tests). */
  static byte[] assemble(byte[] json, byte[] data) {
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(padded).put(json);
    for (int i = json.length; i < padded; i++) {
      b.put((byte) ' ');
    }
    return b.put(data).array();
  }

  static byte[] le(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  static byte[] le(double... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  static byte[] le(int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  static byte[] le(long... values) {
    ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      b.putLong(v);
    }
    return b.array();
  }

  static byte[] le(short... values) {
    ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short v : values) {
      b.putShort(v);
    }
    return b.array();
  }
}

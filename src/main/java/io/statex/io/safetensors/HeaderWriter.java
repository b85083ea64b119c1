package io.statex.io.safetensors;

import io.statex.io.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layout and header of a file we write, in the reference implementation's form: tensors
 * ordered by descending dtype rank ({@link SafetensorsDType} order) then by name, laid end to end
 * from offset 0; the header is compact JSON with {@code __metadata__} first (omitted when empty,
 * keys sorted), then the tensors in data order, each as {@code {"dtype":..,"shape":[..],
 * "data_offsets":[b,e]}}; spaces pad it to a multiple of 8 bytes so the data starts aligned.
 */
final class HeaderWriter {
  private HeaderWriter() {}

  /** A tensor to be written: what the header says about it. */
  record Entry(String name, SafetensorsDType dtype, long[] shape, long bytes) {}

  /** Names compare by code point, which is the byte order of their UTF-8 (as Rust and Python sort). */
  static final Comparator<String> CODE_POINT_ORDER = HeaderWriter::compareCodePoints;

  /** The entries in file order. */
  static List<Entry> order(Collection<Entry> entries) {
    List<Entry> out = new ArrayList<>(entries);
    out.sort(Comparator.comparing((Entry e) -> e.dtype().ordinal()).reversed().thenComparing(Entry::name, CODE_POINT_ORDER));
    return out;
  }

  /** The padded header for entries already in file order. */
  static byte[] encode(List<Entry> ordered, Map<String, String> metadata) {
    StringBuilder sb = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      sb.append(JsonWriter.quote(Header.METADATA_KEY, false)).append(":{");
      Map<String, String> sorted = new TreeMap<>(CODE_POINT_ORDER);
      sorted.putAll(metadata);
      String sep = "";
      for (Map.Entry<String, String> m : sorted.entrySet()) {
        sb.append(sep).append(JsonWriter.quote(m.getKey(), false)).append(':').append(JsonWriter.quote(m.getValue(), false));
        sep = ",";
      }
      sb.append('}');
    }
    long offset = 0;
    for (Entry e : ordered) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(JsonWriter.quote(e.name(), false)).append(":{\"dtype\":\"").append(e.dtype().name()).append("\",\"shape\":");
      appendLongs(sb, e.shape());
      sb.append(",\"data_offsets\":");
      appendLongs(sb, new long[] {offset, offset + e.bytes()});
      sb.append('}');
      offset += e.bytes();
    }
    sb.append('}');
    byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
    Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  private static void appendLongs(StringBuilder sb, long[] values) {
    sb.append('[');
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",").append(values[i]);
    }
    sb.append(']');
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}

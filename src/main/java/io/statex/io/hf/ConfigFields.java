package io.statex.io.hf;

import io.statex.io.ModelConfigJson;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * Checks shared by the config readers: options whose other values the engine's models do not
 * implement must be absent or hold the value the engine implements, and sizes must be integers in a
 * range no real model leaves (so a hostile config cannot ask for an absurd allocation).
 */
final class ConfigFields {
  /** Most layers a config may declare. */
  static final int MAX_LAYERS = 1 << 16;

  private ConfigFields() {}

  /** A positive size, at most {@link ModelConfigJson#MAX_DIM}. */
  static long size(JsonObject o, String key) throws JsonException {
    return o.longInteger(key, 1, ModelConfigJson.MAX_DIM);
  }

  static long size(JsonObject o, String key, long fallback) throws JsonException {
    return o.longInteger(key, 1, ModelConfigJson.MAX_DIM, fallback);
  }

  static int layers(JsonObject o, String key) throws JsonException {
    return o.integer(key, 1, MAX_LAYERS);
  }

  /** A boolean option that must be absent or equal {@code supported}. */
  static void requireBool(JsonObject o, String key, boolean supported, String why) throws JsonException, CheckpointException {
    if (o.has(key) && o.bool(key) != supported) {
      throw unsupported(o, key, why);
    }
  }

  /** An option that must be absent or null. */
  static void requireNull(JsonObject o, String key, String why) throws CheckpointException {
    if (o.has(key)) {
      throw unsupported(o, key, why);
    }
  }

  /** A string option that must be absent or one of the supported values. */
  static void requireString(JsonObject o, String key, String why, String... supported) throws JsonException, CheckpointException {
    if (!o.has(key)) {
      return;
    }
    String v = o.string(key);
    for (String s : supported) {
      if (s.equals(v)) {
        return;
      }
    }
    throw unsupported(o, key, why);
  }

  static CheckpointException unsupported(JsonObject o, String key, String why) {
    return new CheckpointException(o.pathOf(key) + ": " + JsonObject.describe(o.get(key)) + " is not supported ("
        + why + ")");
  }

  /** A special token id: -1 when absent or null. */
  static long tokenId(JsonObject o, String key) throws JsonException {
    return o.longInteger(key, 0, Integer.MAX_VALUE, -1);
  }

  static void putToken(Map<String, JsonValue> out, String key, long id) {
    out.put(key, id < 0 ? new JsonValue.Null() : JsonValue.Num.of(id));
  }

  static double positive(JsonObject o, String key, double fallback) throws JsonException {
    double v = o.number(key, fallback);
    if (!(v > 0)) {
      throw new JsonException(o.pathOf(key) + ": expected a positive number, got " + v);
    }
    return v;
  }

  /** int(hidden x factor), as Python computes a width from a ratio; the field named in errors. */
  static long scaled(JsonObject o, String key, double factor, long hidden) throws CheckpointException {
    double w = Math.floor(hidden * factor);
    if (w < 1 || w > ModelConfigJson.MAX_DIM) {
      throw new CheckpointException(o.pathOf(key) + ": " + hidden + " x " + factor + " gives a width of " + w
          + ", expected 1 to " + ModelConfigJson.MAX_DIM);
    }
    return (long) w;
  }

  /** width / hidden as a number that int(hidden x it) maps back to width: an integer when it is one. */
  static JsonValue.Num ratio(long width, long hidden) {
    if (width % hidden == 0) {
      return JsonValue.Num.of(width / hidden);
    }
    double r = (double) width / hidden;
    while ((long) Math.floor(hidden * r) < width) {
      r = Math.nextUp(r);
    }
    return JsonValue.Num.of(r);
  }

  /** A dt clamp that must be absent or [0, inf] (no clamp), the only one the engine's SSD applies. */
  static void requireNoDtLimit(JsonObject o, String key) throws JsonException, CheckpointException {
    if (!o.has(key)) {
      return;
    }
    List<JsonValue> range = o.array(key);
    if (range.size() != 2 || JsonObject.asAnyNumber(range.get(0), o.pathOf(key)) != 0
        || JsonObject.asAnyNumber(range.get(1), o.pathOf(key)) != Double.POSITIVE_INFINITY) {
      throw unsupported(o, key, "a clamp on dt other than [0, Infinity]");
    }
  }
}

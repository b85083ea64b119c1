package io.statex.io.json;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed JSON object read with type checks. Every getter that finds a missing field or a value of
 * the wrong type throws a {@link JsonException} naming the field's path from the document root
 * (for example {@code tokenizer.json: model.merges[12]}), the expected type and the actual one.
 *
 * <p>Absent fields and JSON {@code null} are the same to the getters with a fallback, as they are
 * to the files' writers ({@code "normalizer": null} means no normalizer).
 */
public final class JsonObject {
  private final Map<String, JsonValue> fields;
  private final String path;

  private JsonObject(Map<String, JsonValue> fields, String path) {
    this.fields = fields;
    this.path = path;
  }

  /** Views {@code value} as an object found at {@code path}, or throws if it is not one. */
  public static JsonObject of(JsonValue value, String path) throws JsonException {
    if (!(value instanceof JsonValue.Obj o)) {
      throw typeError(path, "an object", value);
    }
    return new JsonObject(o.members(), path);
  }

  public String path() {
    return path;
  }

  public Set<String> keys() {
    return fields.keySet();
  }

  public int size() {
    return fields.size();
  }

  /** True when the field is present and not null. */
  public boolean has(String key) {
    return get(key) != null;
  }

  /** The raw value (null when absent or JSON null). */
  public JsonValue get(String key) {
    JsonValue v = fields.get(key);
    return v instanceof JsonValue.Null ? null : v;
  }

  /** The path of a field of this object, as used in error messages. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Throws naming the first field (in sorted order) not in {@code allowed}. */
  public void requireOnly(Collection<String> allowed) throws JsonException {
    for (String k : new TreeSet<>(fields.keySet())) {
      if (!allowed.contains(k)) {
        throw new JsonException(pathOf(k) + ": unknown field (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
  }

  public String string(String key) throws JsonException {
    return asString(required(key), pathOf(key));
  }

  public String string(String key, String fallback) throws JsonException {
    JsonValue v = get(key);
    return v == null ? fallback : asString(v, pathOf(key));
  }

  public boolean bool(String key) throws JsonException {
    return asBool(required(key), pathOf(key));
  }

  public boolean bool(String key, boolean fallback) throws JsonException {
    JsonValue v = get(key);
    return v == null ? fallback : asBool(v, pathOf(key));
  }

  /** An integer field that must lie in [min, max]. */
  public int integer(String key, int min, int max) throws JsonException {
    return (int) asLong(required(key), pathOf(key), min, max);
  }

  public int integer(String key, int min, int max, int fallback) throws JsonException {
    JsonValue v = get(key);
    return v == null ? fallback : (int) asLong(v, pathOf(key), min, max);
  }

  /** A 64-bit integer field that must lie in [min, max]. */
  public long longInteger(String key, long min, long max) throws JsonException {
    return asLong(required(key), pathOf(key), min, max);
  }

  public long longInteger(String key, long min, long max, long fallback) throws JsonException {
    JsonValue v = get(key);
    return v == null ? fallback : asLong(v, pathOf(key), min, max);
  }

  /** A finite number field. */
  public double number(String key) throws JsonException {
    return asNumber(required(key), pathOf(key));
  }

  public double number(String key, double fallback) throws JsonException {
    JsonValue v = get(key);
    return v == null ? fallback : asNumber(v, pathOf(key));
  }

  public JsonObject object(String key) throws JsonException {
    return of(required(key), pathOf(key));
  }

  /** The object field, or null when it is absent or null. */
  public JsonObject objectOrNull(String key) throws JsonException {
    JsonValue v = get(key);
    return v == null ? null : of(v, pathOf(key));
  }

  public List<JsonValue> array(String key) throws JsonException {
    return asArray(required(key), pathOf(key));
  }

  private JsonValue required(String key) throws JsonException {
    JsonValue v = get(key);
    if (v == null) {
      throw new JsonException(pathOf(key) + ": missing" + (fields.containsKey(key) ? " (null)" : "") + " field");
    }
    return v;
  }

  // ---- element conversions, for arrays and maps read by the caller ----

  public static String asString(JsonValue v, String path) throws JsonException {
    if (!(v instanceof JsonValue.Str s)) {
      throw typeError(path, "a string", v);
    }
    return s.value();
  }

  public static boolean asBool(JsonValue v, String path) throws JsonException {
    if (!(v instanceof JsonValue.Bool b)) {
      throw typeError(path, "true or false", v);
    }
    return b.value();
  }

  public static int asInt(JsonValue v, String path, int min, int max) throws JsonException {
    return (int) asLong(v, path, min, max);
  }

  /** An integer literal (no fraction or exponent) in [min, max]. */
  public static long asLong(JsonValue v, String path, long min, long max) throws JsonException {
    OptionalLong n = v instanceof JsonValue.Num num ? num.exactLong() : OptionalLong.empty();
    if (n.isEmpty()) {
      throw typeError(path, "an integer", v);
    }
    if (n.getAsLong() < min || n.getAsLong() > max) {
      throw new JsonException(path + ": expected an integer in [" + min + ", " + max + "], got " + n.getAsLong());
    }
    return n.getAsLong();
  }

  /** A finite number. */
  public static double asNumber(JsonValue v, String path) throws JsonException {
    double d = asAnyNumber(v, path);
    if (!Double.isFinite(d)) {
      throw typeError(path, "a finite number", v);
    }
    return d;
  }

  /** A number, NaN and the infinities included (from a {@link Json.Syntax#PYTHON} parse). */
  public static double asAnyNumber(JsonValue v, String path) throws JsonException {
    if (!(v instanceof JsonValue.Num n)) {
      throw typeError(path, "a number", v);
    }
    return n.toDouble();
  }

  public static List<JsonValue> asArray(JsonValue v, String path) throws JsonException {
    if (!(v instanceof JsonValue.Arr a)) {
      throw typeError(path, "an array", v);
    }
    return a.items();
  }

  /** The path of element {@code i} of the array at {@code path}. */
  public static String elementPath(String path, int i) {
    return path + "[" + i + "]";
  }

  /** The path of the entry named {@code key} in the map-like object at {@code path}. */
  public static String entryPath(String path, String key) {
    return path + "[" + Json.quote(key) + "]";
  }

  public static JsonException typeError(String path, String expected, JsonValue actual) {
    return new JsonException(path + ": expected " + expected + ", got " + describe(actual));
  }

  /** The JSON type of a parsed value, with a short excerpt of scalars. */
  public static String describe(JsonValue v) {
    if (v == null || v instanceof JsonValue.Null) {
      return "null";
    } else if (v instanceof JsonValue.Str s) {
      return "the string " + Json.quote(s.value());
    } else if (v instanceof JsonValue.Obj) {
      return "an object";
    } else if (v instanceof JsonValue.Arr) {
      return "an array";
    } else if (v instanceof JsonValue.Bool b) {
      return Boolean.toString(b.value());
    }
    String text = ((JsonValue.Num) v).text();
    return "the number " + (text.length() <= 40 ? text : text.substring(0, 40) + "...");
  }
}

package io.statex.io.json;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed JSON object read with type checks. Every getter that finds a missing field or a value of
 * the wrong type throws a {@link JsonException} naming the field's path from the document root
 * (for example {@code tokenizer.json: model.merges[12]}), the expected type and the actual one.
 *
 * <p>Absent fields and JSON {@code null} are the same to the getters with a fallback, as they are
 * to the files' writers ({@code "normalizer": null} means no normalizer).
 */
public final class JsonObject {
  private final Map<String, Object> fields;
  private final String path;

  private JsonObject(Map<String, Object> fields, String path) {
    this.fields = fields;
    this.path = path;
  }

  /** Views {@code value} as an object found at {@code path}, or throws if it is not one. */
  @SuppressWarnings("unchecked")
  public static JsonObject of(Object value, String path) throws JsonException {
    if (!(value instanceof Map)) {
      throw typeError(path, "an object", value);
    }
    return new JsonObject((Map<String, Object>) value, path);
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
    return fields.get(key) != null;
  }

  /** The raw value (null when absent or null). */
  public Object get(String key) {
    return fields.get(key);
  }

  /** The path of a field of this object, as used in error messages. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public String string(String key) throws JsonException {
    return asString(required(key), pathOf(key));
  }

  public String string(String key, String fallback) throws JsonException {
    Object v = fields.get(key);
    return v == null ? fallback : asString(v, pathOf(key));
  }

  public boolean bool(String key, boolean fallback) throws JsonException {
    Object v = fields.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw typeError(pathOf(key), "true or false", v);
    }
    return b;
  }

  /** An integer field that must lie in [min, max]. */
  public int integer(String key, int min, int max) throws JsonException {
    return asInt(required(key), pathOf(key), min, max);
  }

  public int integer(String key, int min, int max, int fallback) throws JsonException {
    Object v = fields.get(key);
    return v == null ? fallback : asInt(v, pathOf(key), min, max);
  }

  public JsonObject object(String key) throws JsonException {
    return of(required(key), pathOf(key));
  }

  /** The object field, or null when it is absent or null. */
  public JsonObject objectOrNull(String key) throws JsonException {
    Object v = fields.get(key);
    return v == null ? null : of(v, pathOf(key));
  }

  public List<Object> array(String key) throws JsonException {
    return asArray(required(key), pathOf(key));
  }

  private Object required(String key) throws JsonException {
    Object v = fields.get(key);
    if (v == null) {
      throw new JsonException(
          pathOf(key) + ": missing" + (fields.containsKey(key) ? " (null)" : "") + " field");
    }
    return v;
  }

  // ---- element conversions, for arrays and maps read by the caller ----

  public static String asString(Object v, String path) throws JsonException {
    if (!(v instanceof String s)) {
      throw typeError(path, "a string", v);
    }
    return s;
  }

  public static int asInt(Object v, String path, int min, int max) throws JsonException {
    if (!(v instanceof Long n)) {
      throw typeError(path, "an integer", v);
    }
    if (n < min || n > max) {
      throw new JsonException(path + ": expected an integer in [" + min + ", " + max + "], got " + n);
    }
    return (int) (long) n;
  }

  @SuppressWarnings("unchecked")
  public static List<Object> asArray(Object v, String path) throws JsonException {
    if (!(v instanceof List)) {
      throw typeError(path, "an array", v);
    }
    return (List<Object>) v;
  }

  /** The path of element {@code i} of the array at {@code path}. */
  public static String elementPath(String path, int i) {
    return path + "[" + i + "]";
  }

  /** The path of the entry named {@code key} in the map-like object at {@code path}. */
  public static String entryPath(String path, String key) {
    return path + "[" + Json.quote(key) + "]";
  }

  public static JsonException typeError(String path, String expected, Object actual) {
    return new JsonException(path + ": expected " + expected + ", got " + describe(actual));
  }

  /** The JSON type of a parsed value, with a short excerpt of scalars. */
  public static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "the string " + Json.quote(s);
    }
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof Boolean) {
      return v.toString();
    }
    return "the number " + v;
  }
}

package io.statex.io.json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A parsed JSON value. Objects keep their members in the order of the text (keys are unique: the
 * parser rejects duplicates); numbers keep their literal text, so a reader decides how strict to be
 * about integers, fractions and range. {@link JsonObject} reads objects with type checks whose
 * messages name the field; {@link JsonWriter} prints values.
 */
public sealed interface JsonValue {

  /** An object; members in text order, unmodifiable. */
  record Obj(Map<String, JsonValue> members) implements JsonValue {
    public Obj {
      members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }
  }

  /** An array, unmodifiable. */
  record Arr(List<JsonValue> items) implements JsonValue {
    public Arr {
      items = List.copyOf(items);
    }
  }

  record Str(String value) implements JsonValue {}

  /**
   * A number as written: a literal of the JSON number grammar, or, from a {@link Json.Syntax#PYTHON}
   * parse, {@code NaN}, {@code Infinity} or {@code -Infinity}.
   */
  record Num(String text) implements JsonValue {
    public static Num of(long v) {
      return new Num(Long.toString(v));
    }

    /** The shortest text that reads back as v (always with a '.' or an exponent, so it stays a float). */
    public static Num of(double v) {
      return new Num(Double.toString(v).toLowerCase(Locale.ROOT).replace("infinity", "Infinity").replace("nan", "NaN"));
    }

    /** The value when the literal is an integer (no fraction, no exponent) that fits in a long. */
    public OptionalLong exactLong() {
      if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(Long.parseLong(text));
      } catch (NumberFormatException e) {
        return OptionalLong.empty(); // more digits than a long holds, or a non-finite literal
      }
    }

    /** The value as the nearest double (the parser has checked that finite literals stay finite). */
    public double toDouble() {
      return Double.parseDouble(text);
    }
  }

  record Bool(boolean value) implements JsonValue {}

  record Null() implements JsonValue {}

  /** "object", "array", "string", "number", "boolean" or "null", for error messages. */
  default String typeName() {
    if (this instanceof Obj) {
      return "object";
    } else if (this instanceof Arr) {
      return "array";
    } else if (this instanceof Str) {
      return "string";
    } else if (this instanceof Num) {
      return "number";
    } else if (this instanceof Bool) {
      return "boolean";
    }
    return "null";
  }
}

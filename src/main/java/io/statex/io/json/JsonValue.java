package io.statex.io.json;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A parsed JSON value. Objects keep their members in the order of the text (keys are unique: the
 * parser rejects duplicates); numbers keep their literal text, so a reader decides how strict to be
 * about integers, fractions and range.
 */
public sealed interface JsonValue {

  /** An object; members in text order, unmodifiable. */
  record Obj(Map<String, JsonValue> members) implements JsonValue {}

  /** An array, unmodifiable. */
  record Arr(List<JsonValue> items) implements JsonValue {}

  record Str(String value) implements JsonValue {}

  /** A number as written (already checked against the JSON number grammar). */
  record Num(String text) implements JsonValue {
    /** The value when the literal is an integer (no fraction, no exponent) that fits in a long. */
    public OptionalLong exactLong() {
      if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
        return OptionalLong.empty();
      }
      try {
        return OptionalLong.of(Long.parseLong(text));
      } catch (NumberFormatException e) {
        return OptionalLong.empty(); // more digits than a long holds
      }
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

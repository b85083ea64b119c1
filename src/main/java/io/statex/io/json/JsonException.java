package io.statex.io.json;

import java.io.IOException;

/**
 * A JSON document that is malformed, too large or too deep, or whose values do not have the types
 * the reader expects. The message names the place: a line and column for syntax, a field path such
 * as {@code model.vocab["a"]} for types.
 */
public final class JsonException extends IOException {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}

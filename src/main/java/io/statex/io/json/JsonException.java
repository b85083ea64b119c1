package io.statex.io.json;

import java.io.IOException;

/**
 * JSON we do not accept: a syntax error, bad UTF-8, a duplicate key, a size or nesting limit
 * exceeded, or values without the types the reader expects. The message names the place (a line
 * and column, or a field path such as {@code model.vocab["a"]}); {@link #offset()} is the character
 * position where a syntax error was found, or -1 when there is none.
 */
public final class JsonException extends IOException {
  private static final long serialVersionUID = 1L;
  private final long offset;

  public JsonException(String message, long offset) {
    super(message);
    this.offset = offset;
  }

  public JsonException(String message) {
    this(message, -1);
  }

  public long offset() {
    return offset;
  }
}

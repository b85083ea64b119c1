package io.statex.io.json;

import java.io.IOException;

/**
 * Text that is not the JSON we accept: a syntax error, bad UTF-8, a duplicate key, or a size or
 * nesting limit exceeded. {@link #offset()} is the character position where it went wrong (-1 when
 * the problem is the bytes themselves, before any character could be read).
 */
public final class JsonException extends IOException {
  private final long offset;

  public JsonException(String message, long offset) {
    super(offset >= 0 ? message + " (at character " + offset + ")" : message);
    this.offset = offset;
  }

  public long offset() {
    return offset;
  }
}

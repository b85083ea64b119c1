package io.statex.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A token shard that breaks the format: the message names the file, the offending field, what was
 * expected and what was found, so that a bad file is diagnosed from the message alone.
 */
public final class ShardFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public ShardFormatException(Path file, String field, String detail) {
    super(file + ": " + field + ": " + detail);
    this.field = field;
  }

  /** The header field or part of the file that is wrong ("magic", "version", "payload", ...). */
  public String field() {
    return field;
  }
}

package io.statex.io.safetensors;

import io.statex.io.json.JsonWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file, or a shard index, that breaks a rule of the format or of our reader: the
 * message names the file, the tensor when there is one, and the rule with the expected and actual
 * values. Names taken from the file are quoted and cut short, since a hostile file chooses them.
 */
public final class SafetensorsException extends IOException {

  public SafetensorsException(Path file, String tensor, String rule) {
    super(message(file, tensor, rule));
  }

  public SafetensorsException(Path file, String tensor, String rule, Throwable cause) {
    super(message(file, tensor, rule), cause);
  }

  private static String message(Path file, String tensor, String rule) {
    String where = tensor == null ? String.valueOf(file) : file + ": tensor " + quoteName(tensor);
    return where + ": " + rule;
  }

  /** A name from a file, quoted as JSON (control characters escaped) and at most ~120 characters. */
  static String quoteName(String name) {
    String s = name.length() <= 120 ? name : name.substring(0, 120) + "...";
    return JsonWriter.quote(s, true);
  }
}

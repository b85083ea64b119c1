package io.statex.io.tokenizer;

import java.io.IOException;

/**
 * A {@code tokenizer.json} that is valid JSON but not a tokenizer this reader can run: an unknown
 * or unsupported component, a merge naming a token the vocabulary lacks, an id out of range. The
 * message names the file and the field.
 */
public final class TokenizerFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public TokenizerFormatException(String message) {
    super(message);
  }
}

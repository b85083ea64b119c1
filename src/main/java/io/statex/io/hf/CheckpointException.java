package io.statex.io.hf;

import java.io.IOException;

/**
 * A checkpoint the engine cannot load as it stands: a config field with a value the engine's models
 * do not implement, a tensor missing, unexpected or of the wrong shape. The message names the file
 * and the field or tensor, with the expected and the actual value.
 */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }
}

package io.statex.eval;

import java.util.Objects;

/** A prompt and the tokens that must follow it (scored by exact match). */
public record Example(int[] prompt, int[] answer) {
  public Example {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(answer, "answer");
    if (prompt.length == 0 || answer.length == 0) {
      throw new IllegalArgumentException("prompt and answer: expected at least one token each, found " + prompt.length
          + " and " + answer.length);
    }
  }
}

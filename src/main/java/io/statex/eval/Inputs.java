package io.statex.eval;

import io.statex.data.TokenBatch;
import java.util.Arrays;
import java.util.Objects;

/**
 * Checks of what a predictor is handed (so a bad id fails here, naming itself, not inside a kernel),
 * and the small batch manipulations the scorers share.
 */
final class Inputs {
  private Inputs() {}

  /** The common length of the prompts; every id must be in [0, vocab). */
  static int promptLength(int[][] prompts, int count, long vocab) {
    Objects.requireNonNull(prompts, "prompts");
    if (prompts.length == 0) {
      throw new IllegalArgumentException("prompts: expected at least one prompt, found none");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count: expected >= 0 tokens to generate, found " + count);
    }
    int t = Objects.requireNonNull(prompts[0], "prompts[0]").length;
    if (t == 0) {
      throw new IllegalArgumentException("prompts[0].length: expected at least one token, found 0");
    }
    for (int i = 0; i < prompts.length; i++) {
      int[] p = Objects.requireNonNull(prompts[i], "prompts[" + i + "]");
      if (p.length != t) {
        throw new IllegalArgumentException("prompts[" + i + "].length: expected " + t + " (the length of prompts[0]), found "
            + p.length);
      }
      ids("prompts[" + i + "]", p, 0, vocab);
    }
    return t;
  }

  /** Inputs and targets of the batch must be ids of a vocabulary of the given size (targets may be IGNORE). */
  static void batch(TokenBatch b, long vocab) {
    Objects.requireNonNull(b, "batch");
    ids("batch.inputs", b.inputs(), 0, vocab);
    ids("batch.targets", b.targets(), TokenBatch.IGNORE, vocab);
  }

  private static void ids(String name, int[] a, int min, long vocab) {
    for (int j = 0; j < a.length; j++) {
      if (a[j] < min || a[j] >= vocab) {
        throw new IllegalArgumentException(name + "[" + j + "]: expected an id in [" + min + ", " + vocab
            + ") (the model's vocabulary), found " + a[j]);
      }
    }
  }

  /** The entries of values (one per position of a batch) at its counted targets, row-major. */
  static int[] counted(int[] targets, int[] values) {
    int c = 0;
    for (int tg : targets) {
      c += tg != TokenBatch.IGNORE ? 1 : 0;
    }
    int[] out = new int[c];
    for (int j = 0, k = 0; j < targets.length; j++) {
      if (targets[j] != TokenBatch.IGNORE) {
        out[k++] = values[j];
      }
    }
    return out;
  }

  /** The first rows of b (b itself when it has no more). */
  static TokenBatch firstRows(TokenBatch b, int rows) {
    if (rows == b.batch()) {
      return b;
    }
    int n = rows * b.length();
    return new TokenBatch(rows, b.length(), Arrays.copyOf(b.inputs(), n), Arrays.copyOf(b.targets(), n));
  }
}

package io.statex.eval;

import io.statex.data.TokenBatch;
import java.util.function.IntUnaryOperator;

/**
 * A predictor that reads the answers out of the prompts the way the tasks are defined, knowing
 * nothing of the generators: a continuation copies what followed the first earlier occurrence of
 * the prompt's last {@code cue} tokens (the passkey's "the pass key is", the needle's key); a
 * teacher-forced prediction at a query copies the token that followed the query's first occurrence
 * in the row (MQAR's pair). Every answer token can be passed through {@code corrupt} afterwards, and
 * the log-likelihood is that of a uniform guess over {@code vocab}.
 */
final class Oracle implements Predictor {
  private final int cue;
  private final int vocab;
  private final IntUnaryOperator corrupt;

  Oracle(int cue, int vocab, IntUnaryOperator corrupt) {
    this.cue = cue;
    this.vocab = vocab;
    this.corrupt = corrupt;
  }

  static Oracle right(int cue, int vocab) {
    return new Oracle(cue, vocab, IntUnaryOperator.identity());
  }

  @Override
  public int[][] generate(int[][] prompts, int count) {
    int[][] out = new int[prompts.length][];
    for (int i = 0; i < prompts.length; i++) {
      int[] p = prompts[i];
      int at = firstMatch(p, p.length - cue, cue) + cue;
      out[i] = new int[count];
      for (int k = 0; k < count; k++) {
        out[i][k] = corrupt.applyAsInt(p[at + k]);
      }
    }
    return out;
  }

  @Override
  public int[] predictTargets(TokenBatch b) {
    int t = b.length();
    int[] all = new int[b.inputs().length];
    for (int row = 0; row < b.batch(); row++) {
      int[] r = java.util.Arrays.copyOfRange(b.inputs(), row * t, (row + 1) * t);
      for (int s = 0; s < t; s++) {
        if (b.targets()[row * t + s] != TokenBatch.IGNORE) {
          all[row * t + s] = corrupt.applyAsInt(r[firstMatch(r, s, 1) + 1]);
        }
      }
    }
    return Inputs.counted(b.targets(), all);
  }

  @Override
  public Nll nll(TokenBatch b) {
    long n = b.targetCount();
    return new Nll(n * Math.log(vocab), n);
  }

  /** The first position p < end where s[p, p + len) equals s[end, end + len). */
  private static int firstMatch(int[] s, int end, int len) {
    outer:
    for (int p = 0; p < end; p++) {
      for (int j = 0; j < len; j++) {
        if (s[p + j] != s[end + j]) {
          continue outer;
        }
      }
      return p;
    }
    throw new AssertionError("the cue at " + end + " occurs nowhere earlier");
  }
}

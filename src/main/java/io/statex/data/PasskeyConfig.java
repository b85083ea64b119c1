package io.statex.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One cell of a passkey grid: examples of {@code length} input positions with a key of
 * {@code digits} digits hidden at relative {@code depth} of the filler (0 = first, 1 = last).
 * The needle goes to the filler-unit boundary nearest depth x filler tokens (so the depth is exact
 * to within one unit), and the answer digits end the sequence.
 */
public record PasskeyConfig(int length, double depth, int digits) {
  public PasskeyConfig {
    if (digits < 1 || digits > 32) {
      throw new IllegalArgumentException("digits: expected 1 to 32, found " + digits);
    }
    if (!(depth >= 0 && depth <= 1)) {
      throw new IllegalArgumentException("depth: expected a fraction in [0, 1], found " + depth);
    }
    int min = fixedTokens(digits) - 1;
    if (length < min) {
      throw new IllegalArgumentException("length: expected >= " + min + " (needle, question and answer for " + digits
          + " digits), found " + length);
    }
  }

  /** Every length with every depth, lengths outermost. */
  public static List<PasskeyConfig> grid(int[] lengths, double[] depths, int digits) {
    List<PasskeyConfig> out = new ArrayList<>();
    for (int l : lengths) {
      for (double d : depths) {
        out.add(new PasskeyConfig(l, d, digits));
      }
    }
    return out;
  }

  /** Needle, question and answer: the tokens that are not filler. */
  private static int fixedTokens(int digits) {
    return PasskeyVocab.NEEDLE_HEAD.length + digits + PasskeyVocab.NEEDLE_TAIL.length + PasskeyVocab.QUESTION.length + digits;
  }

  /** Filler tokens of the sequence (length + 1 tokens: the inputs and the last target). */
  public int fillerTokens() {
    return length + 1 - fixedTokens(digits);
  }

  /** Filler tokens before the needle: a multiple of the filler unit near depth x fillerTokens. */
  public int needleStart() {
    int unit = PasskeyVocab.fillerUnit();
    int filler = fillerTokens();
    long nearest = Math.round(depth * filler / unit) * unit;
    return (int) Math.min(nearest, filler - filler % unit);
  }

  /** Tokens a generator is given before it must produce the answer digits. */
  public int promptLength() {
    return length + 1 - digits;
  }
}

package io.statex.data;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The small word-level vocabulary of the passkey task: ids 0-9 are the digits, then punctuation and
 * the words of the filler, the needle and the question. No tokenizer is involved; {@link #decode}
 * renders any example as text for inspection.
 */
public final class PasskeyVocab {
  private static final List<String> WORDS = List.of(
      "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
      ".", "?", "the", "pass", "key", "is", "remember", "it", "what",
      "hills", "are", "quiet", "river", "runs", "on", "and");
  private static final Map<String, Integer> IDS =
      WORDS.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), WORDS::indexOf));

  /** One filler unit, repeated to the wanted length. */
  static final int[] FILLER = encode("the hills are quiet . the river runs on and on .");
  /** The needle is NEEDLE_HEAD, the key's digits, NEEDLE_TAIL. */
  static final int[] NEEDLE_HEAD = encode("the pass key is");
  static final int[] NEEDLE_TAIL = encode(". remember it .");
  /** The question; the answer digits follow it. */
  static final int[] QUESTION = encode("what is the pass key ? the pass key is");

  private PasskeyVocab() {}

  public static int size() {
    return WORDS.size();
  }

  /** The id of digit d (0-9). */
  public static int digit(int d) {
    if (d < 0 || d > 9) {
      throw new IllegalArgumentException("digit: expected 0-9, found " + d);
    }
    return d;
  }

  public static int id(String word) {
    Integer id = IDS.get(word);
    if (id == null) {
      throw new IllegalArgumentException("word: expected one of " + WORDS + ", found \"" + word + "\"");
    }
    return id;
  }

  public static String word(int id) {
    if (id < 0 || id >= WORDS.size()) {
      throw new IllegalArgumentException("id: expected 0 <= id < " + WORDS.size() + ", found " + id);
    }
    return WORDS.get(id);
  }

  /** Space-separated words to ids. */
  public static int[] encode(String text) {
    return Arrays.stream(text.trim().split(" +")).mapToInt(PasskeyVocab::id).toArray();
  }

  /** Ids ids[off, off + len) as space-separated words. */
  public static String decode(int[] ids, int off, int len) {
    Ranges.checkSlice("ids", ids, off, len);
    StringBuilder sb = new StringBuilder();
    for (int i = off; i < off + len; i++) {
      sb.append(i > off ? " " : "").append(word(ids[i]));
    }
    return sb.toString();
  }

  /** The filler unit's length: needle depth is exact to within this many tokens. */
  public static int fillerUnit() {
    return FILLER.length;
  }
}

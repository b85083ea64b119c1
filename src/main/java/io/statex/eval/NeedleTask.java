package io.statex.eval;

import java.util.SplittableRandom;

/**
 * A single needle in a haystack (RULER's NIAH-single, over a synthetic vocabulary instead of text):
 * a key of keyTokens ids followed by its value of valueTokens ids sits at the depth of a haystack of
 * random filler; at the end the key comes again and the answer is its value. Ids follow the layout
 * of the associative-recall task ({@link io.statex.data.MqarConfig}), so a model trained on MQAR reads
 * them: [0, noise) filler (noise = 1: one filler token), then keys, then values. The haystack holds
 * no key, so the needle is the only place the query occurs.
 *
 * <pre>
 *   filler (depth x F)  K1..Kk V1..Vv  filler (the rest of F)  K1..Kk | V1..Vv
 *   \____________________________ prompt _____________________________/ answer
 * </pre>
 *
 * An example of length L has L + 1 tokens (L positions a teacher-forced pass reads, as in passkey),
 * so F = L + 1 - 2k - 2v. The key and value of example n depend on (seed, n) only.
 */
public record NeedleTask(int keyTokens, int valueTokens, int noise, int keys, int values) implements AnswerTask {
  private static final long STREAM = 0x4E494148L; // "NIAH": apart from other tasks' draws under one seed

  public NeedleTask {
    require(keyTokens >= 1, "keyTokens", ">= 1", keyTokens);
    require(valueTokens >= 1, "valueTokens", ">= 1", valueTokens);
    require(noise >= 1, "noise", ">= 1", noise);
    require(keys >= 1, "keys", ">= 1", keys);
    require(values >= 1, "values", ">= 1", values);
    if ((long) noise + keys + values > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("noise + keys + values: expected at most " + Integer.MAX_VALUE + ", found "
          + ((long) noise + keys + values));
    }
  }

  @Override
  public String name() {
    return "niah";
  }

  @Override
  public long vocabSize() {
    return (long) noise + keys + values;
  }

  /** The shortest length with no filler at all. */
  public int minLength() {
    return 2 * keyTokens + 2 * valueTokens - 1;
  }

  @Override
  public Example example(int length, double depth, long seed, long n) {
    if (length < minLength()) {
      throw new IllegalArgumentException("length: expected >= " + minLength() + " (key and value twice), found " + length);
    }
    if (!(depth >= 0 && depth <= 1)) {
      throw new IllegalArgumentException("depth: expected a fraction in [0, 1], found " + depth);
    }
    SplittableRandom rng = new SplittableRandom(seed ^ STREAM * 0x9E3779B97F4A7C15L ^ n * 0xBF58476D1CE4E5B9L);
    int[] key = draw(rng, keyTokens, noise, keys);
    int[] value = draw(rng, valueTokens, noise + keys, values);
    int filler = length + 1 - 2 * keyTokens - 2 * valueTokens;
    int at = (int) Math.round(depth * filler);
    int[] prompt = new int[length + 1 - valueTokens];
    int p = fill(prompt, 0, at, rng);
    p = put(prompt, p, key);
    p = put(prompt, p, value);
    p = fill(prompt, p, filler - at, rng);
    put(prompt, p, key);
    return new Example(prompt, value);
  }

  private static int[] draw(SplittableRandom rng, int count, int first, int range) {
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      out[i] = first + rng.nextInt(range);
    }
    return out;
  }

  private int fill(int[] s, int p, int count, SplittableRandom rng) {
    for (int i = 0; i < count; i++) {
      s[p + i] = noise == 1 ? 0 : rng.nextInt(noise);
    }
    return p + count;
  }

  private static int put(int[] s, int p, int[] ids) {
    System.arraycopy(ids, 0, s, p, ids.length);
    return p + ids.length;
  }

  private static void require(boolean ok, String name, String expected, int found) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": expected " + expected + ", found " + found);
    }
  }
}

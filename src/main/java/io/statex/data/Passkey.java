package io.statex.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Passkey retrieval: filler text repeated to the wanted length, a needle "the pass key is D D D D D .
 * remember it ." at a chosen depth, then "what is the pass key ? the pass key is" and the digits
 * (vocabulary in {@link PasskeyVocab}, geometry in {@link PasskeyConfig}). The targets are the
 * answer digits, at the last {@code digits} positions; every other target is ignored, so
 * {@link TokenBatch#accuracy} gives per-digit accuracy. Example n is a pure function of (config,
 * seed, n); batch i holds examples [i x batchSize, (i + 1) x batchSize).
 */
public final class Passkey implements BatchSource {
  private static final long STREAM = 0x504B4559L; // "PKEY"

  private final PasskeyConfig config;
  private final long seed;
  private final int batchSize;

  public Passkey(PasskeyConfig config, long seed, int batchSize) {
    this.config = Objects.requireNonNull(config, "config");
    ExampleBatches.checkBatchSize(batchSize, config.length());
    this.seed = seed;
    this.batchSize = batchSize;
  }

  public PasskeyConfig config() {
    return config;
  }

  /** The key (digit values) of example n. */
  public int[] key(long n) {
    SplitMix rng = SplitMix.keyed(seed, STREAM, n);
    int[] key = new int[config.digits()];
    for (int i = 0; i < key.length; i++) {
      key[i] = rng.nextInt(10);
    }
    return key;
  }

  @Override
  public TokenBatch batch(long index) {
    return ExampleBatches.build(index, batchSize, config.length(), this::example);
  }

  /** Inputs are the sequence's first length tokens; the targets are the answer digits, shifted by one. */
  private void example(long n, int[] inputs, int[] targets, int off) {
    int t = config.length();
    int[] s = sequence(key(n));
    System.arraycopy(s, 0, inputs, off, t);
    Arrays.fill(targets, off, off + t, TokenBatch.IGNORE);
    int firstAnswer = config.promptLength();
    System.arraycopy(s, firstAnswer, targets, off + firstAnswer - 1, config.digits());
  }

  /** The length + 1 tokens: filler, needle, filler, question, answer. */
  private int[] sequence(int[] key) {
    int[] s = new int[config.length() + 1];
    int p = fill(s, 0, 0, config.needleStart());
    p = put(s, p, PasskeyVocab.NEEDLE_HEAD);
    p = putDigits(s, p, key);
    p = put(s, p, PasskeyVocab.NEEDLE_TAIL);
    p = fill(s, p, config.needleStart(), config.fillerTokens() - config.needleStart());
    p = put(s, p, PasskeyVocab.QUESTION);
    putDigits(s, p, key);
    return s;
  }

  /** Writes count filler tokens from phase (an index into the repeated unit) at p; returns the end. */
  private static int fill(int[] s, int p, int phase, int count) {
    int[] unit = PasskeyVocab.FILLER;
    for (int i = 0; i < count; i++) {
      s[p + i] = unit[(phase + i) % unit.length];
    }
    return p + count;
  }

  private static int put(int[] s, int p, int[] words) {
    System.arraycopy(words, 0, s, p, words.length);
    return p + words.length;
  }

  private static int putDigits(int[] s, int p, int[] key) {
    for (int i = 0; i < key.length; i++) {
      s[p + i] = PasskeyVocab.digit(key[i]);
    }
    return p + key.length;
  }
}

package io.statex.eval;

import io.statex.data.MqarConfig;

/**
 * Multi-query associative recall at a given context length ({@link io.statex.data.Mqar}): every key
 * of the pairs is queried once. The pair count either stays fixed (pairsEvery = 0: the same
 * recall load spread over longer and longer gaps) or grows with the length, one pair per pairsEvery
 * tokens (a constant density: the state must hold more).
 *
 * @param keys key vocabulary (at least the largest pair count)
 * @param values value vocabulary
 * @param noise filler ids (1: one filler token)
 * @param pairs the pair count when pairsEvery = 0
 * @param pairsEvery 0, or the tokens per pair when the count scales with the length
 */
public record MqarTask(int keys, int values, int noise, int pairs, int pairsEvery) {
  public MqarTask {
    if (pairsEvery != 0 && pairsEvery < 4) {
      throw new IllegalArgumentException("pairsEvery: expected 0 (a fixed pair count) or >= 4 tokens per pair (a pair and its"
          + " query take 4), found " + pairsEvery);
    }
    if (pairsEvery == 0 && pairs < 1) {
      throw new IllegalArgumentException("pairs: expected >= 1, found " + pairs);
    }
    if (keys < 1 || values < 1 || noise < 1) {
      throw new IllegalArgumentException("keys, values, noise: expected each >= 1, found " + keys + ", " + values + ", " + noise);
    }
  }

  /** The pairs of an example of this length. */
  public int pairsAt(int length) {
    return pairsEvery == 0 ? pairs : Math.max(1, length / pairsEvery);
  }

  /** The data settings at this length (MqarConfig's checks name the field that does not fit, e.g. too few keys). */
  public MqarConfig config(int length) {
    int p = pairsAt(length);
    return new MqarConfig(keys, values, p, p, length, noise);
  }

  public long vocabSize() {
    return (long) noise + keys + values;
  }
}

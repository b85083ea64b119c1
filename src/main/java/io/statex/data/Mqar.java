package io.statex.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * Multi-query associative recall (the task of the Zoology and Based studies of recurrent models):
 * a stream of key-value pairs, then queries that must recall the value bound to each key. Example n
 * is a pure function of (config, seed, n), generated on demand in O(length) time, so any number of
 * examples costs no storage; batch i holds examples [i x batchSize, (i + 1) x batchSize). Layout
 * and vocabulary in {@link MqarConfig}; score predictions with {@link TokenBatch#accuracy}.
 *
 * <p>Queries sit at uniformly random, non-overlapping two-position slots after the pairs; the query
 * key is followed by its value in the inputs (as in a next-token stream) and the target at the key
 * is that value. Filler fills every other position.
 */
public final class Mqar implements BatchSource {
  private static final long STREAM = 0x4D514152L; // "MQAR": keeps these draws apart from other tasks' under one seed

  private final MqarConfig config;
  private final long seed;
  private final int batchSize;

  public Mqar(MqarConfig config, long seed, int batchSize) {
    this.config = Objects.requireNonNull(config, "config");
    ExampleBatches.checkBatchSize(batchSize, config.length());
    this.seed = seed;
    this.batchSize = batchSize;
  }

  public MqarConfig config() {
    return config;
  }

  @Override
  public TokenBatch batch(long index) {
    Scratch s = new Scratch(config);
    int t = config.length();
    // the row number + 1 marks this example's picks in the shared stamps
    return ExampleBatches.build(index, batchSize, t, (n, in, tg, off) -> example(n, in, tg, off, s, off / t + 1));
  }

  private void example(long n, int[] inputs, int[] targets, int off, Scratch s, int mark) {
    SplitMix rng = SplitMix.keyed(seed, STREAM, n);
    int pairs = config.pairs();
    int t = config.length();
    Arrays.fill(targets, off, off + t, TokenBatch.IGNORE);
    rng.distinct(config.keys(), pairs, s.keyStamp, mark, s.keys);
    for (int p = 0; p < pairs; p++) {
      inputs[off + 2 * p] = config.keyId(s.keys[p]);
      inputs[off + 2 * p + 1] = config.valueId(rng.nextInt(config.values()));
    }
    for (int i = off + 2 * pairs; i < off + t; i++) {
      inputs[i] = config.noise() == 1 ? config.fillerId() : rng.nextInt(config.noise());
    }
    rng.distinct(pairs, config.queries(), s.pairStamp, mark, s.pairOrder);
    rng.distinct(s.slotStamp.length, config.queries(), s.slotStamp, mark, s.slots);
    for (int q = 0; q < config.queries(); q++) {
      int pair = off + 2 * s.pairOrder[q];
      int at = off + 2 * pairs + 2 * s.slots[q];
      inputs[at] = inputs[pair];
      inputs[at + 1] = inputs[pair + 1];
      targets[at] = inputs[pair + 1];
    }
  }

  /** Per-batch work arrays; stamps mark taken keys and slots (see {@link SplitMix#distinct}). */
  private static final class Scratch {
    final int[] keyStamp;
    final int[] slotStamp;
    final int[] pairStamp;
    final int[] keys;
    final int[] pairOrder;
    final int[] slots;

    Scratch(MqarConfig c) {
      keyStamp = new int[c.keys()];
      slotStamp = new int[(c.length() - 2 * c.pairs()) / 2];
      pairStamp = new int[c.pairs()];
      keys = new int[c.pairs()];
      pairOrder = new int[c.pairs()];
      slots = new int[c.queries()];
    }
  }
}

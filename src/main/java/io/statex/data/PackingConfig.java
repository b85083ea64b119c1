package io.statex.data;

/**
 * How {@link PackedSequences} cuts a token stream into batches.
 *
 * @param length tokens per row seen by the model (L): a row holds L + 1 tokens, inputs are its first
 *     L and targets its last L
 * @param batchSize rows per batch on each rank
 * @param seed the order of rows; with shuffle off it is still recorded in the cursor
 * @param shuffle rows in a seeded random order, a fresh order each epoch; off keeps corpus order
 *     (the post-training recipe reads its data unshuffled)
 * @param rank this process's rank in a data-parallel run, in [0, worldSize)
 * @param worldSize ranks that share each global batch (each takes batchSize distinct rows)
 */
public record PackingConfig(int length, int batchSize, long seed, boolean shuffle, int rank, int worldSize) {
  public PackingConfig {
    if (length < 1) {
      throw new IllegalArgumentException("length: expected >= 1, found " + length);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize: expected >= 1, found " + batchSize);
    }
    if (worldSize < 1 || rank < 0 || rank >= worldSize) {
      throw new IllegalArgumentException("rank / worldSize: expected 0 <= rank < worldSize, found " + rank + " / " + worldSize);
    }
    if ((long) length * batchSize > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batchSize x length: expected at most " + (Integer.MAX_VALUE - 8) + " tokens, found "
          + (long) length * batchSize);
    }
  }

  /** Shuffled rows on a single rank. */
  public static PackingConfig of(int length, int batchSize, long seed) {
    return new PackingConfig(length, batchSize, seed, true, 0, 1);
  }

  /** The same settings for another rank of the run. */
  public PackingConfig forRank(int rank, int worldSize) {
    return new PackingConfig(length, batchSize, seed, shuffle, rank, worldSize);
  }

  /** Rows consumed by one global step (all ranks). */
  long globalRows() {
    return (long) batchSize * worldSize;
  }
}

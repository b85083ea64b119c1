package io.statex.data;

import java.util.List;
import java.util.Objects;

/**
 * Cuts a token stream (documents already joined by EOS) into batches of fixed-length rows for
 * next-token training.
 *
 * <p>Row r holds the L + 1 tokens starting at r x L: inputs are its first L, targets its last L
 * (no target is ignored). Consecutive rows share one token, so every token after the first is a
 * target exactly once per epoch; the stream's last partial row is not used. An epoch visits
 * {@link #batchesPerEpoch} global batches of batchSize x worldSize distinct rows; rows that do not
 * fill a last global batch wait for a later epoch (with shuffle on, a different remainder each time).
 * With shuffle on, the row order of epoch e is a {@link SeededPermutation} keyed by (seed, e), so
 * batch i is a pure function of (data, config, i): the same on any machine, on any rank count that
 * keeps batchSize x worldSize, and after any restart.
 *
 * <p>{@link #batch} is random access and safe from several threads; {@link #next} with
 * {@link #cursor}/{@link #restore} is the stateful walk a trainer checkpoints.
 */
public final class PackedSequences implements BatchSource {
  private final TokenSource tokens;
  private final PackingConfig config;
  private final long rows;
  private final long batchesPerEpoch;
  private long next;

  private PackedSequences(TokenSource tokens, PackingConfig config) {
    this.tokens = tokens;
    this.config = config;
    int length = config.length();
    this.rows = tokens.size() > length ? (tokens.size() - 1) / length : 0;
    this.batchesPerEpoch = rows / config.globalRows();
    if (batchesPerEpoch == 0) {
      throw new IllegalArgumentException("tokens: one global batch (" + config.batchSize() + " x " + config.worldSize()
          + " rows of " + length + " + 1) needs at least " + (config.globalRows() * length + 1) + " tokens, found "
          + tokens.size());
    }
  }

  public static PackedSequences of(TokenSource tokens, PackingConfig config) {
    return new PackedSequences(Objects.requireNonNull(tokens, "tokens"), Objects.requireNonNull(config, "config"));
  }

  /** Joins the documents in order, each followed by eosId, and packs the result. */
  public static PackedSequences ofDocuments(List<int[]> documents, int vocabSize, int eosId, PackingConfig config) {
    if (eosId < 0) {
      throw new IllegalArgumentException("eosId: expected an id >= 0 to join documents with, found " + eosId);
    }
    long total = 0;
    for (int[] d : documents) {
      total += d.length + 1L;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("documents: expected at most " + (Integer.MAX_VALUE - 8)
          + " tokens in memory with their EOS, found " + total + " (write them to shards instead)");
    }
    int[] joined = new int[(int) total];
    int p = 0;
    for (int[] d : documents) {
      System.arraycopy(d, 0, joined, p, d.length);
      p += d.length;
      joined[p++] = eosId;
    }
    return of(TokenSource.of(joined, vocabSize, eosId), config);
  }

  public PackingConfig config() {
    return config;
  }

  public TokenSource tokens() {
    return tokens;
  }

  /** Rows of L + 1 tokens the stream holds. */
  public long rows() {
    return rows;
  }

  /** Global batches per epoch. */
  public long batchesPerEpoch() {
    return batchesPerEpoch;
  }

  /** This rank's rows of global batch index (epoch index / batchesPerEpoch). */
  @Override
  public TokenBatch batch(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("batch index: expected >= 0, found " + index);
    }
    long epoch = index / batchesPerEpoch;
    SeededPermutation order = config.shuffle() ? new SeededPermutation(rows, SplitMix.hash(config.seed(), epoch)) : null;
    int b = config.batchSize();
    int length = config.length();
    long first = (index % batchesPerEpoch) * config.globalRows() + (long) config.rank() * b;
    int[] inputs = new int[b * length];
    int[] targets = new int[b * length];
    int[] row = new int[length + 1];
    for (int j = 0; j < b; j++) {
      long r = order == null ? first + j : order.at(first + j);
      tokens.read(r * length, row);
      System.arraycopy(row, 0, inputs, j * length, length);
      System.arraycopy(row, 1, targets, j * length, length);
    }
    return new TokenBatch(b, length, inputs, targets);
  }

  /** The batch at the cursor, which then moves on by one. */
  public TokenBatch next() {
    TokenBatch out = batch(next);
    next++;
    return out;
  }

  /** The position of the next {@link #next} call. */
  public PackingCursor cursor() {
    return new PackingCursor(config.seed(), next / batchesPerEpoch, next % batchesPerEpoch);
  }

  /** Continues from a saved cursor: the following batches equal those of an uninterrupted walk. */
  public void restore(PackingCursor cursor) {
    Objects.requireNonNull(cursor, "cursor");
    if (cursor.seed() != config.seed()) {
      throw new IllegalArgumentException("cursor.seed: expected " + config.seed() + " (this config), found " + cursor.seed());
    }
    if (cursor.position() >= batchesPerEpoch) {
      throw new IllegalArgumentException("cursor.position: expected < " + batchesPerEpoch + " batches per epoch, found "
          + cursor.position() + " (was it saved for other data or another batch size?)");
    }
    if (cursor.epoch() > (Long.MAX_VALUE - cursor.position()) / batchesPerEpoch) {
      throw new IllegalArgumentException("cursor.epoch: expected at most " + (Long.MAX_VALUE - cursor.position()) / batchesPerEpoch
          + ", found " + cursor.epoch());
    }
    next = cursor.epoch() * batchesPerEpoch + cursor.position();
  }
}

package io.statex.data;

/**
 * A read-only sequence of token ids addressed by a 64-bit index: one shard, many shards read as
 * one stream, or an array in memory. Implementations are safe for concurrent readers.
 */
public interface TokenSource {
  /** Number of tokens. */
  long size();

  /** The id at index i (0 <= i < size()). */
  int get(long i);

  /** Copies ids [start, start + len) into dst[off, off + len). */
  void read(long start, int[] dst, int off, int len);

  /** Fills dst with the ids starting at start. */
  default void read(long start, int[] dst) {
    read(start, dst, 0, dst.length);
  }

  /** The vocabulary size every id is below, or 0 when not recorded. */
  int vocabSize();

  /** The end-of-document id, or -1 when there is none. */
  int eosId();

  /** An in-memory source over tokens (not copied: the caller must not change them afterwards). */
  static TokenSource of(int[] tokens, int vocabSize, int eosId) {
    return new TokenArray(tokens, vocabSize, eosId);
  }
}

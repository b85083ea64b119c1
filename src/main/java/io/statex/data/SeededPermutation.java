package io.statex.data;

/**
 * A pseudo-random bijection of [0, n) that costs O(1) memory: a balanced Feistel network over the
 * smallest even number of bits covering n, with cycle walking (an output at or past n is encrypted
 * again until it lands inside, which keeps the map a bijection of [0, n)). Because the domain is
 * less than 4n, a lookup takes under four rounds of the network on average. Used to shuffle row
 * starts of corpora too large for an index array; the same seed gives the same order everywhere.
 */
public final class SeededPermutation {
  private static final int ROUNDS = 6;

  private final long n;
  private final int halfBits;
  private final long halfMask;
  private final long[] roundKeys = new long[ROUNDS];

  public SeededPermutation(long n, long seed) {
    if (n < 0 || n > (1L << 62)) {
      throw new IllegalArgumentException("permutation size n: expected 0 <= n <= 2^62, found " + n);
    }
    this.n = n;
    int bits = n <= 1 ? 2 : 64 - Long.numberOfLeadingZeros(n - 1);
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
    for (int r = 0; r < ROUNDS; r++) {
      roundKeys[r] = SplitMix.hash(seed, r);
    }
  }

  public long size() {
    return n;
  }

  /** The image of i, in [0, n). */
  public long at(long i) {
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("permutation index: expected 0 <= i < " + n + ", found " + i);
    }
    long y = encrypt(i);
    while (y >= n) {
      y = encrypt(y);
    }
    return y;
  }

  private long encrypt(long x) {
    long left = x >>> halfBits;
    long right = x & halfMask;
    for (long key : roundKeys) {
      long next = left ^ (SplitMix.mix(key ^ right) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}

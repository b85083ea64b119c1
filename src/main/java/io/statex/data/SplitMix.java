package io.statex.data;

/**
 * SplitMix64, a small generator whose every output is fixed by its published definition, so that a
 * seed gives the same data on any JVM and machine ({@link java.util.SplittableRandom} does not
 * promise its sequence across releases). Not thread-safe: one instance per example or batch.
 */
final class SplitMix {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;

  private SplitMix(long state) {
    this.state = state;
  }

  /** A generator keyed by several words (seed, stream, index): distinct keys give unrelated streams. */
  static SplitMix keyed(long... words) {
    return new SplitMix(hash(words));
  }

  /** A 64-bit hash of the words; mix is a bijection, so keys differing in the last word never collide. */
  static long hash(long... words) {
    long h = 0;
    for (long w : words) {
      h = mix(h + GOLDEN + w);
    }
    return h;
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, bound) without modulo bias (rejects the top partial block of 31-bit draws). */
  int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound: expected > 0, found " + bound);
    }
    int u = (int) (nextLong() >>> 33);
    int r = u % bound;
    while (u - r + (bound - 1) < 0) {
      u = (int) (nextLong() >>> 33);
      r = u % bound;
    }
    return r;
  }

  /**
   * Writes m distinct values drawn uniformly from [0, n) into out[0, m), in random order (Floyd's
   * subset sampling, then a shuffle: O(m) work whatever n). stamp has n entries; the entries equal
   * to mark are the taken ones, so one array serves many calls with increasing marks and no clearing.
   */
  void distinct(int n, int m, int[] stamp, int mark, int[] out) {
    for (int j = n - m, c = 0; j < n; j++, c++) {
      int t = nextInt(j + 1);
      int pick = stamp[t] == mark ? j : t;
      stamp[pick] = mark;
      out[c] = pick;
    }
    shuffle(out, m);
  }

  /** Fisher-Yates shuffle of a[0, len). */
  void shuffle(int[] a, int len) {
    for (int i = len - 1; i > 0; i--) {
      int j = nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}

package io.statex.data;

import java.util.Objects;

/** A {@link TokenSource} over an int array in memory (documents joined in memory, tests). */
final class TokenArray implements TokenSource {
  private final int[] tokens;
  private final int vocabSize;
  private final int eosId;

  TokenArray(int[] tokens, int vocabSize, int eosId) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    if (vocabSize < 0) {
      throw new IllegalArgumentException("vocabSize: expected >= 0 (0 = not recorded), found " + vocabSize);
    }
    if (eosId < -1 || (vocabSize > 0 && eosId >= vocabSize)) {
      throw new IllegalArgumentException("eosId: expected -1 (none) or an id below vocabSize " + vocabSize + ", found " + eosId);
    }
    long bound = vocabSize > 0 ? vocabSize : 1L << 31;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] < 0 || tokens[i] >= bound) {
        throw new IllegalArgumentException("tokens[" + i + "]: expected an id in [0, " + bound + "), found " + tokens[i]);
      }
    }
    this.vocabSize = vocabSize;
    this.eosId = eosId;
  }

  @Override
  public long size() {
    return tokens.length;
  }

  @Override
  public int get(long i) {
    Ranges.checkIndex(i, tokens.length);
    return tokens[(int) i];
  }

  @Override
  public void read(long start, int[] dst, int off, int len) {
    Ranges.checkRead(start, dst, off, len, tokens.length);
    System.arraycopy(tokens, (int) start, dst, off, len);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int eosId() {
    return eosId;
  }
}

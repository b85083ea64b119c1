package io.statex.data;

/**
 * Where a {@link PackedSequences} stands: the next batch is number {@code position} of epoch
 * {@code epoch} under {@code seed}. Three numbers a checkpoint stores and restores exactly; they are
 * meaningful for the same data and the same {@link PackingConfig}.
 */
public record PackingCursor(long seed, long epoch, long position) {
  public PackingCursor {
    if (epoch < 0 || position < 0) {
      throw new IllegalArgumentException("epoch / position: expected both >= 0, found " + epoch + " / " + position);
    }
  }
}

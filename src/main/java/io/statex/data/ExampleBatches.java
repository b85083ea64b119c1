package io.statex.data;

/**
 * Batches of independently generated examples, shared by the synthetic tasks: batch i holds
 * examples [i x batchSize, (i + 1) x batchSize), so an example does not depend on the batch size.
 */
final class ExampleBatches {
  /** Writes example n into inputs and targets [off, off + length). */
  interface Writer {
    void write(long n, int[] inputs, int[] targets, int off);
  }

  private ExampleBatches() {}

  static void checkBatchSize(int batchSize, int length) {
    if (batchSize < 1 || (long) batchSize * length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("batchSize: expected >= 1 with batchSize x length < 2^31, found " + batchSize
          + " x " + length);
    }
  }

  static TokenBatch build(long index, int batchSize, int length, Writer writer) {
    if (index < 0 || index > Long.MAX_VALUE / batchSize) {
      throw new IllegalArgumentException("batch index: expected in [0, " + Long.MAX_VALUE / batchSize + "], found " + index);
    }
    int[] inputs = new int[batchSize * length];
    int[] targets = new int[batchSize * length];
    for (int b = 0; b < batchSize; b++) {
      writer.write(index * batchSize + b, inputs, targets, b * length);
    }
    return new TokenBatch(batchSize, length, inputs, targets);
  }
}

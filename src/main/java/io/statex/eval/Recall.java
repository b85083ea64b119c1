package io.statex.eval;

import io.statex.autograd.NoGrad;
import io.statex.data.BatchSource;
import io.statex.data.TokenBatch;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;

/**
 * Exact-match recall scoring: the model's greedy prediction at every target position of a batch
 * (one forward pass over the prompt; the answer tokens themselves never influence the positions
 * that predict them, so this equals decoding the answers one by one), against the targets.
 */
public final class Recall {
  private Recall() {}

  /** Accuracy over every target of batches [first, first + count) of the source. */
  public static double accuracy(LanguageModel model, BatchSource source, long first, int count, Compute c) {
    long right = 0, total = 0;
    for (long i = first; i < first + count; i++) {
      TokenBatch b = source.batch(i);
      long[] pos = positions(b);
      long[] pred = predict(model, b, pos, c);
      for (int j = 0; j < pos.length; j++) {
        right += pred[j] == b.targets()[(int) pos[j]] ? 1 : 0;
      }
      total += pos.length;
    }
    return total == 0 ? Double.NaN : (double) right / total;
  }

  /** The greedy predictions at the given flat positions of [batch, length]. */
  public static long[] predict(LanguageModel model, TokenBatch b, long[] positions, Compute c) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Tensor ids = Tensor.ofInts(b.inputs(), b.batch(), b.length()).to(model.device());
      return model.predict(ids, positions, c);
    }
  }

  /** Flat indices of the targets that count (not -1). */
  public static long[] positions(TokenBatch b) {
    int[] t = b.targets();
    return java.util.stream.IntStream.range(0, t.length).filter(i -> t[i] >= 0).asLongStream().toArray();
  }
}

package io.statex.eval;

import io.statex.autograd.NoGrad;
import io.statex.data.TokenBatch;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.Arrays;
import java.util.Objects;

/**
 * A model read by whole-sequence forward passes (the chunked scan kernels): faster than
 * {@link RecurrentPredictor} on short contexts, but its activations grow with the length (full
 * [T, vocab] logits never exist: predictions pick their rows before the head, and the loss is the
 * fused, chunked head loss). Greedy decoding runs one pass per generated token, over the prompt and
 * the tokens so far, because a forward pass hands back no recurrent state to continue from.
 */
public final class ForwardPredictor implements Predictor {
  private final LanguageModel model;
  private final Compute compute;

  public ForwardPredictor(LanguageModel model, Compute compute) {
    this.model = Objects.requireNonNull(model, "model");
    this.compute = Objects.requireNonNull(compute, "compute");
  }

  @Override
  public int[][] generate(int[][] prompts, int count) {
    int t = Inputs.promptLength(prompts, count, model.config().vocabSize());
    int n = prompts.length;
    int[][] out = new int[n][count];
    int[] ids = new int[n * (t + count)];
    for (int k = 0; k < count; k++) {
      int len = t + k;
      long[] last = new long[n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(prompts[i], 0, ids, i * len, t);
        System.arraycopy(out[i], 0, ids, i * len + t, k);
        last[i] = (long) i * len + len - 1;
      }
      int[] in = Arrays.copyOf(ids, n * len);
      int[] none = new int[n * len];
      Arrays.fill(none, TokenBatch.IGNORE);
      long[] best = Recall.predict(model, new TokenBatch(n, len, in, none), last, compute);
      for (int i = 0; i < n; i++) {
        out[i][k] = (int) best[i];
      }
    }
    return out;
  }

  @Override
  public int[] predictTargets(TokenBatch batch) {
    Inputs.batch(batch, model.config().vocabSize());
    long[] best = Recall.predict(model, batch, Recall.positions(batch), compute);
    return Arrays.stream(best).mapToInt(v -> (int) v).toArray();
  }

  @Override
  public Nll nll(TokenBatch batch) {
    Inputs.batch(batch, model.config().vocabSize());
    int counted = batch.targetCount();
    if (counted == 0) {
      return new Nll(0, 0);
    }
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Tensor ids = Tensor.ofInts(batch.inputs(), batch.batch(), batch.length()).to(model.device());
      // the loss is the mean over counted targets
      return new Nll(model.loss(ids, batch.targets(), compute).value().item() * counted, counted);
    }
  }
}

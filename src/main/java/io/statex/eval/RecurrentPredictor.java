package io.statex.eval;

import io.statex.autograd.NoGrad;
import io.statex.data.TokenBatch;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.ops.Embedding;
import io.statex.ops.Reductions;
import io.statex.ops.Softmax;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * A model read one token at a time through {@link LanguageModel#step}: memory stays constant in the
 * context length (the recurrent states, plus one [N, vocab] row of logits per step), so a 64K-token
 * prompt costs what a 1K one does, only longer. Prefill, decoding, teacher-forced predictions and
 * log-likelihoods all go through the same step loop; logits are looked at only on the steps that
 * need them.
 */
public final class RecurrentPredictor implements Predictor {
  private final LanguageModel model;
  private final Compute compute;
  private final Progress progress;

  /** progress hears (tokens stepped, tokens to step) of each call. */
  public RecurrentPredictor(LanguageModel model, Compute compute, Progress progress) {
    this.model = Objects.requireNonNull(model, "model");
    this.compute = Objects.requireNonNull(compute, "compute");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  public RecurrentPredictor(LanguageModel model, Compute compute) {
    this(model, compute, Progress.NONE);
  }

  @Override
  public int[][] generate(int[][] prompts, int count) {
    int t = Inputs.promptLength(prompts, count, model.config().vocabSize());
    int n = prompts.length;
    int[][] out = new int[n][count];
    if (count == 0) {
      return out;
    }
    int[] column = new int[n];
    IntFunction<int[]> input = s -> {
      for (int i = 0; i < n; i++) {
        column[i] = s < t ? prompts[i][s] : out[i][s - t];
      }
      return column;
    };
    // the logits after prompt token t - 1 choose answer token 0; the last answer token is never fed
    stream(n, t + count - 1, input, s -> s >= t - 1, (s, logits) -> {
      long[] best = argmax(logits);
      for (int i = 0; i < n; i++) {
        out[i][s - (t - 1)] = (int) best[i];
      }
    });
    return out;
  }

  @Override
  public int[] predictTargets(TokenBatch batch) {
    Inputs.batch(batch, model.config().vocabSize());
    int n = batch.batch(), t = batch.length();
    int[] targets = batch.targets();
    int[] predicted = new int[targets.length];
    stream(n, t, column(batch), s -> anyCounted(targets, n, t, s), (s, logits) -> {
      long[] best = argmax(logits);
      for (int i = 0; i < n; i++) {
        predicted[i * t + s] = (int) best[i];
      }
    });
    return Inputs.counted(targets, predicted);
  }

  @Override
  public Nll nll(TokenBatch batch) {
    Inputs.batch(batch, model.config().vocabSize());
    int n = batch.batch(), t = batch.length();
    int[] targets = batch.targets();
    double[] sum = {0};
    long[] tokens = {0};
    stream(n, t, column(batch), s -> anyCounted(targets, n, t, s), (s, logits) -> {
      float[] logp = targetLogProbs(logits, targets, n, t, s);
      for (int i = 0; i < n; i++) {
        if (targets[i * t + s] != TokenBatch.IGNORE) {
          sum[0] -= logp[i];
          tokens[0]++;
        }
      }
    });
    return new Nll(sum[0], tokens[0]);
  }

  /** Receives the logits [n, vocab] after step s (valid only during the call). */
  private interface LogitsSink {
    void accept(int s, Tensor logits);
  }

  /** Feeds steps columns of n ids from fresh states; after the steps that are wanted, hands the logits to sink. */
  private void stream(int n, int steps, IntFunction<int[]> column, IntPredicate wanted, LogitsSink sink) {
    try (NoGrad off = NoGrad.enter();
        TensorScope run = TensorScope.open()) {
      List<Tensor[]> state = model.newState(n, compute);
      for (int s = 0; s < steps; s++) {
        try (TensorScope step = TensorScope.open()) {
          Tensor ids = Tensor.ofInts(column.apply(s), n).to(model.device());
          Tensor logits = model.step(ids, state, compute);
          if (wanted.test(s)) {
            sink.accept(s, logits);
          }
        }
        progress.update(s + 1, steps);
      }
    }
  }

  private static IntFunction<int[]> column(TokenBatch b) {
    int n = b.batch(), t = b.length();
    int[] col = new int[n];
    return s -> {
      for (int i = 0; i < n; i++) {
        col[i] = b.inputs()[i * t + s];
      }
      return col;
    };
  }

  private static boolean anyCounted(int[] targets, int n, int t, int s) {
    for (int i = 0; i < n; i++) {
      if (targets[i * t + s] != TokenBatch.IGNORE) {
        return true;
      }
    }
    return false;
  }

  /** The first highest logit of each row (the same tie rule as the one-pass prediction). */
  private static long[] argmax(Tensor logits) {
    try (Reductions.Extreme m = Reductions.max(logits, -1, false)) {
      return m.indices().toLongArray();
    }
  }

  /** log softmax(logits)[i, target of row i at step s] for every row (0 where the target is ignored). */
  private static float[] targetLogProbs(Tensor logits, int[] targets, int n, int t, int s) {
    long vocab = logits.size(1);
    long[] flat = new long[n];
    for (int i = 0; i < n; i++) {
      flat[i] = i * vocab + Math.max(0, targets[i * t + s]);
    }
    Tensor logp = Softmax.logSoftmax(logits.to(DType.F32));
    Tensor idx = Tensor.ofLongs(flat, n).to(logits.device());
    return Embedding.forward(logp.reshape(n * vocab, 1), idx).toFloatArray();
  }
}

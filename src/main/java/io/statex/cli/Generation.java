package io.statex.cli;

import io.statex.autograd.NoGrad;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Text generation with the recurrent form ({@link LanguageModel#step}): the prompt is fed one token
 * at a time into fresh per-layer states, then each new token is picked from the last logits and fed
 * back. Memory is the model, its states and one step's activations, whatever the length.
 */
public final class Generation {
  private Generation() {}

  /**
   * How the next token is picked: greedy (argmax) when temperature is 0, else drawn from
   * softmax(logits / temperature) restricted to the topK largest (0 = all), with a seeded generator.
   */
  public record Sampling(double temperature, int topK, long seed) {
    public Sampling {
      if (!(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("--temperature: expected a finite number >= 0, got " + temperature);
      }
      if (topK < 0) {
        throw new IllegalArgumentException("--top-k: expected >= 0 (0 = no limit), got " + topK);
      }
    }

    public static Sampling greedy() {
      return new Sampling(0, 0, 0);
    }

    /** The next token from logits (its index), drawing from rng when sampling. */
    public int pick(float[] logits, SplittableRandom rng) {
      for (int i = 0; i < logits.length; i++) {
        if (Float.isNaN(logits[i])) {
          throw new IllegalStateException("generate: the logits hold NaN (token " + i + "); the model's weights may be broken");
        }
      }
      if (temperature == 0 || topK == 1) {
        return argmax(logits);
      }
      double cut = topK == 0 || topK >= logits.length ? Double.NEGATIVE_INFINITY : kthLargest(logits, topK);
      double max = logits[argmax(logits)];
      double[] weight = new double[logits.length];
      double total = 0;
      for (int i = 0; i < logits.length; i++) {
        weight[i] = logits[i] >= cut ? Math.exp((logits[i] - max) / temperature) : 0;
        total += weight[i];
      }
      double u = rng.nextDouble() * total;
      int last = 0;
      for (int i = 0; i < weight.length; i++) {
        if (weight[i] > 0) {
          last = i;
          u -= weight[i];
          if (u < 0) {
            return i;
          }
        }
      }
      return last; // u landed on the rounding error of the sum
    }

    private static double kthLargest(float[] logits, int k) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length - k];
    }
  }

  /** The first index of the largest value. */
  public static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Generates up to maxNew tokens after the prompt (at least one token), stopping after stopId when
   * it is >= 0; each new token goes to onToken as it is picked. Returns the new tokens.
   */
  public static int[] run(LanguageModel model, int[] prompt, int maxNew, int stopId, Sampling sampling, Compute c,
      IntConsumer onToken) {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("generate: the prompt holds no tokens");
    }
    if (maxNew < 0) {
      throw new IllegalArgumentException("--max-new: expected >= 0, got " + maxNew);
    }
    for (int i = 0; i < prompt.length; i++) {
      if (prompt[i] < 0 || prompt[i] >= model.config().vocabSize()) {
        throw new IllegalArgumentException("generate: prompt token " + i + " is " + prompt[i] + ", outside the model's vocabulary [0, "
            + model.config().vocabSize() + ")");
      }
    }
    int[] out = new int[maxNew];
    int n = 0;
    try (NoGrad off = NoGrad.enter()) {
      List<Tensor[]> state = model.newState(1, c);
      try {
        float[] logits = null;
        for (int id : prompt) {
          logits = step(model, id, state, c);
        }
        SplittableRandom rng = new SplittableRandom(sampling.seed());
        while (n < maxNew) {
          int next = sampling.pick(logits, rng);
          out[n++] = next;
          onToken.accept(next);
          if (next == stopId || n == maxNew) {
            break;
          }
          logits = step(model, next, state, c);
        }
      } finally {
        state.forEach(layer -> Arrays.stream(layer).forEach(Tensor::close));
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Feeds one token; returns the next-token logits. Everything but the states is freed. */
  private static float[] step(LanguageModel model, int id, List<Tensor[]> state, Compute c) {
    try (TensorScope scope = TensorScope.open()) {
      Tensor ids = Tensor.ofInts(new int[] {id}, 1).to(model.device());
      return model.step(ids, state, c).toFloatArray();
    }
  }
}

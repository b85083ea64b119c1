package io.statex.eval;

import io.statex.data.TokenBatch;

/**
 * What the evaluations need from a model, and nothing more: greedy continuations of prompts, greedy
 * predictions at the counted targets of a teacher-forced batch, and the negative log-likelihood of
 * those targets. The scorers take this interface rather than a model so that their scoring rules
 * can be checked against oracles that know the answers; {@link RecurrentPredictor} (constant memory
 * in the length) and {@link ForwardPredictor} (one forward pass) put a real model behind it.
 */
public interface Predictor {
  /**
   * Greedy decoding: for each prompt (all of one length, at least one token), the count tokens that
   * follow, each fed back before the next is chosen. Returns [prompts.length][count].
   */
  int[][] generate(int[][] prompts, int count);

  /**
   * The greedy prediction at every counted target of the batch (inputs as the model reads them,
   * targets the next tokens), in row-major order of the counted targets: what
   * {@link TokenBatch#accuracy} scores.
   */
  int[] predictTargets(TokenBatch batch);

  /** The summed negative log-likelihood (nats) of the batch's counted targets, and how many there are. */
  Nll nll(TokenBatch batch);

  /** A sum of negative log-likelihoods over tokens. */
  record Nll(double sum, long tokens) {
    public Nll plus(Nll o) {
      return new Nll(sum + o.sum, tokens + o.tokens);
    }

    /** exp(mean NLL); NaN when no token was scored. */
    public double perplexity() {
      return tokens == 0 ? Double.NaN : Math.exp(sum / tokens);
    }
  }
}

package io.statex.eval;

/**
 * A task whose examples are a prompt and an answer of several tokens, placed at a context length and
 * a depth (the passkey and the needle in a haystack); {@link ExactMatch} scores them.
 */
public interface AnswerTask {
  /** The name in results and messages. */
  String name();

  /** The ids the task uses are below this: a model needs at least this vocabulary. */
  long vocabSize();

  /** Example n of the cell (length, depth) under seed. */
  Example example(int length, double depth, long seed, long n);
}

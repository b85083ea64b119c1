package io.statex.eval;

/**
 * One measured cell of an evaluation grid.
 *
 * @param length context length (the positions a teacher-forced pass over the example reads)
 * @param depth relative position of the needle in [0, 1], or NaN for tasks without one
 * @param examples sequences evaluated
 * @param scored units the score is over: answers (exact-match tasks), queries (MQAR) or tokens (perplexity)
 * @param score the fraction of scored units right, or the perplexity (as the results' metric says)
 * @param seconds wall time spent on this cell (its share of the batches it ran in)
 */
public record Cell(int length, double depth, int examples, long scored, double score, double seconds) {
  /** True when the task places a needle at a depth. */
  public boolean hasDepth() {
    return !Double.isNaN(depth);
  }
}

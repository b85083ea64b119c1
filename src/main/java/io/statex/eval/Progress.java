package io.statex.eval;

/** Where long evaluations report how far they are: done of total units (tokens, examples). */
@FunctionalInterface
public interface Progress {
  Progress NONE = (done, total) -> {};

  void update(long done, long total);
}

package io.statex.train;

/**
 * Learning rate by step: linear warmup from 0 over {@code warmup} steps to {@code peak}, then a cosine
 * decay to {@code min} at {@code total} steps (held there after). The StateX recipe: peak 3e-4,
 * 1000 warmup steps, cosine to 0.
 */
public record Schedule(double peak, double min, long warmup, long total) {
  public Schedule {
    if (!(peak > 0) || min < 0 || min > peak || warmup < 0 || total < 1) {
      throw new IllegalArgumentException("schedule: need peak > 0, 0 <= min <= peak, warmup >= 0, total >= 1; got peak "
          + peak + ", min " + min + ", warmup " + warmup + ", total " + total);
    }
  }

  /** The rate for step s (0-based: the first update uses lr(0)). */
  public double lr(long s) {
    if (s < warmup) {
      return peak * (s + 1) / warmup;
    }
    long decay = Math.max(1, total - warmup);
    double progress = Math.min(1.0, (double) (s - warmup) / decay);
    return min + 0.5 * (peak - min) * (1 + Math.cos(Math.PI * progress));
  }
}

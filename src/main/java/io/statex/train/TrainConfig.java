package io.statex.train;

import java.nio.file.Path;

/**
 * A training run: steps (optimizer updates), gradient accumulation, the AdamW and schedule settings,
 * clipping, precision, activation checkpointing, logging and checkpoint cadence, and the NaN guard's
 * limit (consecutive skipped steps before the run stops). checkpointDir and metrics may be null.
 */
public record TrainConfig(long steps, int gradAccum, Schedule schedule, double weightDecay, double beta1, double beta2,
    double clipNorm, Precision precision, boolean checkpointActivations, Path checkpointDir, long checkpointEvery,
    int keepCheckpoints, Path metrics, int maxSkipped, boolean progress) {

  public TrainConfig {
    if (steps < 1 || gradAccum < 1 || maxSkipped < 1) {
      throw new IllegalArgumentException("train: steps, gradAccum and maxSkipped must be >= 1, got " + steps + ", "
          + gradAccum + ", " + maxSkipped);
    }
    if (checkpointDir != null && checkpointEvery < 1) {
      throw new IllegalArgumentException("train: checkpointEvery must be >= 1 with a checkpoint directory, got " + checkpointEvery);
    }
  }

  /**
   * The StateX post-training recipe (research notes statex.md section 4): AdamW 0.9 / 0.95, weight
   * decay 0.1 on 2+-dim tensors, peak LR 3e-4 after 1000 warmup steps, cosine to 0, clip 1.0, bf16.
   */
  public static TrainConfig statexRecipe(long steps) {
    return new TrainConfig(steps, 1, new Schedule(3e-4, 0, 1000, steps), 0.1, 0.9, 0.95, 1.0,
        Precision.BF16_PURE, true, null, 1000, 3, null, 10, true);
  }

  public TrainConfig withCheckpoints(Path dir, long every) {
    return new TrainConfig(steps, gradAccum, schedule, weightDecay, beta1, beta2, clipNorm, precision,
        checkpointActivations, dir, every, keepCheckpoints, metrics, maxSkipped, progress);
  }
}

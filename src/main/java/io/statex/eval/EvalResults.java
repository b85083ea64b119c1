package io.statex.eval;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The results of one evaluation: the task and its settings, the grid, and each model's cells; what
 * {@link ResultsJson} writes as results.json and the plots and report are drawn from.
 *
 * @param task passkey, niah, mqar or ppl
 * @param metric what the cells' scores mean
 * @param grid the lengths, depths (empty for tasks without), examples per cell, seed and batch
 * @param settings the task's own parameters and how it ran (digits, decoding mode, device, ...)
 * @param models side by side, in the order given
 */
public record EvalResults(String task, Metric metric, Grid grid, Map<String, String> settings, List<ModelResult> models) {
  public EvalResults {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(grid, "grid");
    settings = Map.copyOf(settings);
    models = List.copyOf(models);
  }

  /** True when the cells have depths (the needle tasks): the report adds a depth x length heatmap per model. */
  public boolean hasDepths() {
    return models.stream().flatMap(m -> m.cells().stream()).anyMatch(Cell::hasDepth);
  }
}

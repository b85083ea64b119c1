package io.statex.eval;

import java.util.List;
import java.util.Objects;

/**
 * One model's cells.
 *
 * @param name the label in tables and legends
 * @param checkpoint where the weights came from
 * @param parameters parameter count
 * @param stateSize recurrent state elements per sequence, all layers (what StateX enlarges)
 * @param wallSeconds wall time of the whole evaluation of this model
 * @param cells lengths outermost, then depths
 */
public record ModelResult(String name, String checkpoint, long parameters, long stateSize, double wallSeconds,
    List<Cell> cells) {
  public ModelResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(checkpoint, "checkpoint");
    cells = List.copyOf(cells);
  }

  /** The cell at (length, depth), or null; depth NaN finds the cell of a task without depths. */
  public Cell cell(int length, double depth) {
    for (Cell c : cells) {
      if (c.length() == length && Double.compare(c.depth(), depth) == 0) {
        return c;
      }
    }
    return null;
  }

  /**
   * The score at a length, averaged over its depths (weighted by what each scored); NaN when the
   * model has no cell there.
   */
  public double scoreAt(int length, Metric metric) {
    double sum = 0;
    long units = 0;
    for (Cell c : cells) {
      if (c.length() == length && c.scored() > 0 && !Double.isNaN(c.score())) {
        // perplexities combine through their log (mean NLL), accuracies directly
        sum += (metric == Metric.PERPLEXITY ? Math.log(c.score()) : c.score()) * c.scored();
        units += c.scored();
      }
    }
    if (units == 0) {
      return Double.NaN;
    }
    return metric == Metric.PERPLEXITY ? Math.exp(sum / units) : sum / units;
  }
}

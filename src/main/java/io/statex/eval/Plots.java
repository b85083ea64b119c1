package io.statex.eval;

import java.util.ArrayList;
import java.util.List;

/** The report's plots, drawn from results: the score by length for all models, and a depth map per model. */
public final class Plots {
  /** The default size of every plot, in pixels. */
  public static final int WIDTH = 960, HEIGHT = 540;

  private Plots() {}

  /** The score by context length, one curve per model (averaged over depths for the needle tasks), as PNG. */
  public static byte[] byLength(EvalResults r, int width, int height) {
    List<Series> series = new ArrayList<>();
    for (ModelResult m : r.models()) {
      double[] x = r.grid().lengths().stream().mapToDouble(Integer::doubleValue).toArray();
      double[] y = r.grid().lengths().stream().mapToDouble(l -> m.scoreAt(l, r.metric())).toArray();
      series.add(new Series(m.name(), x, y));
    }
    boolean accuracy = r.metric() == Metric.ACCURACY;
    String title = r.task() + ": " + r.metric().key() + " by context length" + (r.hasDepths() ? " (mean over depths)" : "")
        + ", N = " + r.grid().examples();
    return LineChart.render(title, "context length (tokens)", r.metric().key(), series, accuracy ? 0 : Double.NaN,
        accuracy ? 1 : Double.NaN, width, height);
  }

  /** One model's depth x length map, as PNG. */
  public static byte[] heatmap(EvalResults r, ModelResult m, int width, int height) {
    List<Double> depths = r.grid().depths();
    List<Integer> lengths = r.grid().lengths();
    double[][] v = new double[depths.size()][lengths.size()];
    for (int i = 0; i < depths.size(); i++) {
      for (int k = 0; k < lengths.size(); k++) {
        Cell c = m.cell(lengths.get(k), depths.get(i));
        v[i][k] = c == null ? Double.NaN : c.score();
      }
    }
    return Heatmap.render(r.task() + " " + r.metric().key() + ": " + m.name(), depths, lengths, v, width, height);
  }
}

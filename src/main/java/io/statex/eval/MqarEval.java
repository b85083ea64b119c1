package io.statex.eval;

import io.statex.data.Mqar;
import io.statex.data.MqarConfig;
import io.statex.data.TokenBatch;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Multi-query associative recall accuracy by context length: the fraction of queries whose value is
 * the model's greedy prediction at the query key (a one-token answer, so the teacher-forced
 * prediction is the greedy decode). Depths do not apply: queries sit at random places after the pairs.
 */
public final class MqarEval {
  private MqarEval() {}

  /** One cell per length, in the grid's order; onCell hears each as it completes. */
  public static List<Cell> run(Predictor predictor, MqarTask task, Grid grid, Consumer<Cell> onCell) {
    Objects.requireNonNull(predictor, "predictor");
    check(task, grid);
    return grid.eachLength(length -> List.of(runLength(predictor, task.config(length), grid)), onCell);
  }

  /** Checks that every length can hold its pairs and queries, before any model work. */
  public static void check(MqarTask task, Grid grid) {
    Objects.requireNonNull(task, "task");
    for (int length : grid.lengths()) {
      task.config(length);
    }
  }

  private static Cell runLength(Predictor predictor, MqarConfig cfg, Grid grid) {
    int batch = Math.min(grid.batch(), grid.examples());
    Mqar source = new Mqar(cfg, grid.seed(), batch);
    long right = 0, scored = 0;
    long t0 = System.nanoTime();
    for (int i = 0, done = 0; done < grid.examples(); i++) {
      TokenBatch b = Inputs.firstRows(source.batch(i), Math.min(batch, grid.examples() - done));
      int[] want = Inputs.counted(b.targets(), b.targets());
      int[] got = predictor.predictTargets(b);
      if (got.length != want.length) {
        throw new IllegalStateException("predictor: expected " + want.length + " predictions, found " + got.length);
      }
      for (int j = 0; j < want.length; j++) {
        right += got[j] == want[j] ? 1 : 0;
      }
      scored += want.length;
      done += b.batch();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Cell(cfg.length(), Double.NaN, grid.examples(), scored, (double) right / scored, seconds);
  }
}

package io.statex.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Exact-match scoring of an {@link AnswerTask} over a grid: an example counts when the greedy
 * continuation of its prompt equals its answer in every token (a five-digit key with one digit
 * wrong scores 0). The examples of one length, all depths together, are decoded in batches of up to
 * {@link Grid#batch} prompts (prompt lengths agree within a length), and each cell is charged its
 * share of the time of the batches its examples ran in.
 */
public final class ExactMatch {
  private ExactMatch() {}

  /** The cells, lengths outermost, then depths; onCell hears each as it completes. */
  public static List<Cell> run(Predictor predictor, AnswerTask task, Grid grid, Consumer<Cell> onCell) {
    Objects.requireNonNull(predictor, "predictor");
    check(task, grid);
    return grid.eachLength(length -> runLength(predictor, task, grid, length), onCell);
  }

  /**
   * Builds example 0 of every cell, so that an impossible cell (a length too short for the needle)
   * fails before any model work.
   */
  public static void check(AnswerTask task, Grid grid) {
    Objects.requireNonNull(task, "task");
    for (int length : grid.lengths()) {
      for (double depth : grid.needleDepths(task.name())) {
        task.example(length, depth, grid.seed(), 0);
      }
    }
  }

  /** Example n of depth index cell; built only when its batch runs, so a length's prompts never all exist at once. */
  private record Item(int cell, long n) {}

  private static List<Cell> runLength(Predictor predictor, AnswerTask task, Grid grid, int length) {
    List<Double> depths = grid.depths();
    List<Item> items = new ArrayList<>();
    for (int d = 0; d < depths.size(); d++) {
      for (long n = 0; n < grid.examples(); n++) {
        items.add(new Item(d, n));
      }
    }
    long[] right = new long[depths.size()];
    double[] seconds = new double[depths.size()];
    for (int from = 0; from < items.size(); from += grid.batch()) {
      List<Item> chunk = items.subList(from, Math.min(items.size(), from + grid.batch()));
      long t0 = System.nanoTime();
      boolean[] ok = score(predictor, task, grid, length, chunk);
      double share = (System.nanoTime() - t0) / 1e9 / chunk.size();
      for (int i = 0; i < chunk.size(); i++) {
        right[chunk.get(i).cell()] += ok[i] ? 1 : 0;
        seconds[chunk.get(i).cell()] += share;
      }
    }
    List<Cell> cells = new ArrayList<>();
    for (int d = 0; d < depths.size(); d++) {
      double acc = (double) right[d] / grid.examples();
      cells.add(new Cell(length, depths.get(d), grid.examples(), grid.examples(), acc, seconds[d]));
    }
    return cells;
  }

  /** Decodes the chunk's prompts together; true where the continuation equals the answer. */
  private static boolean[] score(Predictor predictor, AnswerTask task, Grid grid, int length, List<Item> chunk) {
    Example[] examples = new Example[chunk.size()];
    int[][] prompts = new int[chunk.size()][];
    for (int i = 0; i < prompts.length; i++) {
      Item it = chunk.get(i);
      examples[i] = task.example(length, grid.depths().get(it.cell()), grid.seed(), it.n());
      if (examples[i].answer().length != examples[0].answer().length) {
        throw new IllegalStateException(task.name() + ": answers at length " + length + " differ in size: "
            + examples[i].answer().length + " vs " + examples[0].answer().length);
      }
      prompts[i] = examples[i].prompt();
    }
    int[][] got = predictor.generate(prompts, examples[0].answer().length);
    if (got.length != prompts.length) {
      throw new IllegalStateException("predictor: expected " + prompts.length + " continuations, found " + got.length);
    }
    boolean[] ok = new boolean[prompts.length];
    for (int i = 0; i < ok.length; i++) {
      ok[i] = Arrays.equals(got[i], examples[i].answer());
    }
    return ok;
  }
}

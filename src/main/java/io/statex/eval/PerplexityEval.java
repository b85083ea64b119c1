package io.statex.eval;

import io.statex.data.PackedSequences;
import io.statex.data.PackingConfig;
import io.statex.data.TokenBatch;
import io.statex.data.TokenSource;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Perplexity by context length on token shards: the stream is packed into rows of length + 1 tokens
 * ({@link PackedSequences}, shuffled by the grid's seed, so the rows are a random sample rather than
 * the corpus head), and the score is exp(mean next-token NLL) over every token of the rows taken.
 * Each row starts from a fresh state, so longer rows show whether the model keeps using a longer
 * past. A length with fewer rows in the data than asked takes what there is (the cell says how many).
 */
public final class PerplexityEval {
  private PerplexityEval() {}

  /** One cell per length, in the grid's order; onCell hears each as it completes. */
  public static List<Cell> run(Predictor predictor, TokenSource tokens, Grid grid, Consumer<Cell> onCell) {
    Objects.requireNonNull(predictor, "predictor");
    check(tokens, grid);
    return grid.eachLength(length -> List.of(runLength(predictor, tokens, grid, length)), onCell);
  }

  /** Checks that the data holds at least one row of every length. */
  public static void check(TokenSource tokens, Grid grid) {
    Objects.requireNonNull(tokens, "tokens");
    for (int length : grid.lengths()) {
      if (rows(tokens, length) == 0) {
        throw new IllegalArgumentException("data: a row of length " + length + " needs " + (length + 1L)
            + " tokens, the data holds " + tokens.size());
      }
    }
  }

  private static long rows(TokenSource tokens, int length) {
    return tokens.size() > length ? (tokens.size() - 1) / length : 0;
  }

  private static Cell runLength(Predictor predictor, TokenSource tokens, Grid grid, int length) {
    int batch = (int) Math.min(grid.batch(), Math.min(grid.examples(), rows(tokens, length)));
    PackedSequences rows = PackedSequences.of(tokens, new PackingConfig(length, batch, grid.seed(), true, 0, 1));
    // rows past one epoch would repeat rows already scored
    int examples = (int) Math.min(grid.examples(), rows.batchesPerEpoch() * batch);
    Predictor.Nll total = new Predictor.Nll(0, 0);
    long t0 = System.nanoTime();
    for (int i = 0, done = 0; done < examples; i++) {
      TokenBatch b = Inputs.firstRows(rows.batch(i), Math.min(batch, examples - done));
      total = total.plus(predictor.nll(b));
      done += b.batch();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Cell(length, Double.NaN, examples, total.tokens(), total.perplexity(), seconds);
  }
}

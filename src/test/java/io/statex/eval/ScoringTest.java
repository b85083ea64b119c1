package io.statex.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.data.PasskeyVocab;
import io.statex.data.TokenSource;
import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scoring rules against predictors that know the answers ({@link Oracle}): right answers score
 * 1, a single wrong token scores 0, a predictor right on a known subset scores that fraction, and a
 * uniform guess has the perplexity of the vocabulary. Grids come back complete and in order.
 */
class ScoringTest {
  private static final int PASSKEY_CUE = PasskeyVocab.encode("the pass key is").length;

  @Test
  void passkeyRightKeysScoreOneAndOneWrongDigitScoresZero() {
    long seed = Seeds.fresh("passkey-scoring");
    Grid grid = new Grid(List.of(61, 27, 130), List.of(0.0, 0.4, 1.0), 7, seed, 4);
    PasskeyTask task = new PasskeyTask(5);
    List<Cell> right = ExactMatch.run(Oracle.right(PASSKEY_CUE, 26), task, grid, c -> {});
    assertComplete(grid, right, true);
    right.forEach(c -> assertEquals(1.0, c.score(), "right keys at " + c + " (" + Seeds.describe() + ")"));
    // one digit off, at a place that changes per example
    Predictor oneDigit = new OneWrongToken(Oracle.right(PASSKEY_CUE, 26), d -> (d + 1) % 10, seed);
    ExactMatch.run(oneDigit, task, grid, c -> {}).forEach(c -> assertEquals(0.0, c.score(), c + " (" + Seeds.describe() + ")"));
  }

  @Test
  void aPredictorRightOnAKnownSubsetScoresThatFraction() {
    long seed = Seeds.fresh("passkey-fraction");
    Grid grid = new Grid(List.of(40, 77), List.of(0.25, 0.75), 25, seed, 6);
    PasskeyTask task = new PasskeyTask(3);
    // wrong exactly when the key's first digit is odd
    Predictor odd = new Predictor() {
      final Oracle o = Oracle.right(PASSKEY_CUE, 26);

      @Override
      public int[][] generate(int[][] prompts, int count) {
        int[][] out = o.generate(prompts, count);
        for (int[] a : out) {
          a[count - 1] = a[0] % 2 == 1 ? (a[count - 1] + 1) % 10 : a[count - 1];
        }
        return out;
      }

      @Override
      public int[] predictTargets(io.statex.data.TokenBatch b) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Nll nll(io.statex.data.TokenBatch b) {
        throw new UnsupportedOperationException();
      }
    };
    for (Cell c : ExactMatch.run(odd, task, grid, x -> {})) {
      int even = 0;
      for (long n = 0; n < grid.examples(); n++) {
        even += task.example(c.length(), c.depth(), seed, n).answer()[0] % 2 == 0 ? 1 : 0;
      }
      assertEquals((double) even / grid.examples(), c.score(), 1e-12, c + " (" + Seeds.describe() + ")");
    }
  }

  @Test
  void needleRightValuesScoreOneAndOneWrongTokenScoresZero() {
    long seed = Seeds.fresh("niah-scoring");
    NeedleTask task = new NeedleTask(2, 3, 7, 20, 30);
    Grid grid = new Grid(List.of(9, 64, 33), List.of(0.0, 0.3, 0.5, 1.0), 6, seed, 5);
    int vocab = (int) task.vocabSize();
    List<Cell> right = ExactMatch.run(Oracle.right(2, vocab), task, grid, c -> {});
    assertComplete(grid, right, true);
    right.forEach(c -> assertEquals(1.0, c.score(), c + " (" + Seeds.describe() + ")"));
    int firstValue = 7 + 20;
    Predictor wrong = new OneWrongToken(Oracle.right(2, vocab), v -> firstValue + (v - firstValue + 1) % 30, seed);
    ExactMatch.run(wrong, task, grid, c -> {}).forEach(c -> assertEquals(0.0, c.score(), c + " (" + Seeds.describe() + ")"));
  }

  @Test
  void needleExamplesHaveTheDocumentedLayout() {
    long seed = Seeds.fresh("niah-layout");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int trial = 0; trial < 40; trial++) {
      int k = 1 + rnd.nextInt(3), v = 1 + rnd.nextInt(4), noise = 1 + rnd.nextInt(5), keys = 1 + rnd.nextInt(9);
      int values = 1 + rnd.nextInt(9);
      NeedleTask task = new NeedleTask(k, v, noise, keys, values);
      int length = task.minLength() + rnd.nextInt(200);
      double depth = rnd.nextInt(5) / 4.0;
      long n = rnd.nextInt(1000);
      Example e = task.example(length, depth, seed, n);
      String where = task + " length " + length + " depth " + depth + " n " + n + " (" + Seeds.describe() + ")";
      int[] p = e.prompt();
      assertEquals(length + 1 - v, p.length, where);
      assertEquals(v, e.answer().length, where);
      int filler = length + 1 - 2 * k - 2 * v;
      int at = (int) Math.round(depth * filler);
      for (int i = 0; i < p.length; i++) {
        boolean inNeedle = i >= at && i < at + k + v;
        boolean inQuery = i >= p.length - k;
        int id = p[i];
        if (inNeedle && i < at + k || inQuery) {
          assertTrue(id >= noise && id < noise + keys, where + ": key id " + id + " at " + i);
          int j = inQuery ? at + (i - (p.length - k)) : i;
          assertEquals(p[j], id, where + ": the query differs from the needle's key at " + i);
        } else if (inNeedle) {
          assertEquals(e.answer()[i - at - k], id, where + ": the needle's value differs from the answer at " + i);
        } else {
          assertTrue(id >= 0 && id < noise, where + ": filler id " + id + " at " + i);
        }
      }
      for (int a : e.answer()) {
        assertTrue(a >= noise + keys && a < noise + keys + values, where + ": value id " + a);
      }
      // the key and value depend on (seed, n) only
      Example other = task.example(length + 11, 1 - depth, seed, n);
      assertEquals(java.util.Arrays.toString(e.answer()), java.util.Arrays.toString(other.answer()), where);
    }
  }

  @Test
  void mqarRightValuesScoreOneWrongScoreZeroAndPairsScaleWhenAsked() {
    long seed = Seeds.fresh("mqar-scoring");
    Grid grid = new Grid(List.of(40, 100, 64), List.of(), 5, seed, 2);
    MqarTask fixed = new MqarTask(32, 24, 1, 6, 0);
    int vocab = (int) fixed.vocabSize();
    List<Cell> cells = MqarEval.run(Oracle.right(1, vocab), fixed, grid, c -> {});
    assertComplete(grid, cells, false);
    for (Cell c : cells) {
      assertEquals(1.0, c.score(), c + " (" + Seeds.describe() + ")");
      assertEquals(5L * 6, c.scored(), c.toString());
    }
    Predictor wrong = new Oracle(1, vocab, id -> id + 1 == vocab ? 33 : id + 1);
    MqarEval.run(wrong, fixed, grid, c -> {}).forEach(c -> assertEquals(0.0, c.score(), c + " (" + Seeds.describe() + ")"));
    MqarTask scaled = new MqarTask(32, 24, 3, 0, 8);
    for (Cell c : MqarEval.run(Oracle.right(1, vocab), scaled, grid, c -> {})) {
      assertEquals(5L * (c.length() / 8), c.scored(), c.toString());
      assertEquals(1.0, c.score(), c + " (" + Seeds.describe() + ")");
    }
  }

  @Test
  void aUniformGuessHasThePerplexityOfTheVocabulary() {
    long seed = Seeds.fresh("ppl-scoring");
    int vocab = 50;
    int[] tokens = new SplittableRandom(seed).ints(1000, 0, vocab).toArray();
    Grid grid = new Grid(List.of(16, 100, 333), List.of(), 7, seed, 3);
    List<Cell> cells = PerplexityEval.run(Oracle.right(1, vocab), TokenSource.of(tokens, vocab, -1), grid, c -> {});
    assertComplete(grid, cells, false);
    for (Cell c : cells) {
      assertEquals(vocab, c.score(), 1e-9 * vocab, c + " (" + Seeds.describe() + ")");
      // 999 / 333 = 3 rows: the cell takes what the data holds, one epoch at most
      int rows = Math.min(7, (1000 - 1) / c.length());
      assertEquals(rows, c.examples(), c.toString());
      assertEquals((long) rows * c.length(), c.scored(), c.toString());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PerplexityEval.run(Oracle.right(1, vocab), TokenSource.of(tokens, vocab, -1),
            new Grid(List.of(999, 1000), List.of(), 1, seed, 1), c -> {}));
    assertTrue(e.getMessage().contains("data") && e.getMessage().contains("1000"), e.getMessage());
  }

  @Test
  void impossibleCellsFailBeforeAnyModelWorkNamingTheField() {
    Predictor never = new Oracle(1, 2, x -> {
      throw new AssertionError("the predictor ran");
    });
    Grid grid = new Grid(List.of(100, 8), List.of(0.5), 1, 1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExactMatch.run(never, new PasskeyTask(5), grid, c -> {}));
    assertTrue(e.getMessage().startsWith("length"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExactMatch.run(never, new NeedleTask(3, 3, 1, 5, 5), grid, c -> {}));
    assertTrue(e.getMessage().startsWith("length"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ExactMatch.run(never, new PasskeyTask(5), new Grid(List.of(100), List.of(), 1, 1, 1), c -> {}));
    assertTrue(e.getMessage().contains("depth"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MqarEval.run(never, new MqarTask(4, 4, 1, 5, 0), grid, c -> {}));
    assertTrue(e.getMessage().startsWith("keys"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Grid(List.of(), List.of(), 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Grid(List.of(8, 8), List.of(), 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Grid(List.of(8), List.of(1.5), 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Grid(List.of(8), List.of(), 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new MqarTask(4, 4, 1, 0, 3));
  }

  /** The cells in grid order: lengths outermost, then depths (or NaN without depths); N per cell; scores in [0, 1]. */
  static void assertComplete(Grid grid, List<Cell> cells, boolean depths) {
    List<String> want = new ArrayList<>(), got = new ArrayList<>();
    for (int l : grid.lengths()) {
      for (double d : depths ? grid.depths() : List.of(Double.NaN)) {
        want.add(l + "@" + d);
      }
    }
    cells.forEach(c -> got.add(c.length() + "@" + c.depth()));
    assertEquals(want, got);
    for (Cell c : cells) {
      assertTrue(c.examples() >= 1 && c.examples() <= grid.examples(), c.toString());
      assertTrue(c.scored() >= c.examples(), c.toString());
      assertTrue(c.seconds() >= 0, c.toString());
    }
  }

  /** Passes the inner predictor's answers with one token (at a seeded place per prompt) changed by wrong. */
  private record OneWrongToken(Predictor inner, java.util.function.IntUnaryOperator wrong, long seed) implements Predictor {
    @Override
    public int[][] generate(int[][] prompts, int count) {
      int[][] out = inner.generate(prompts, count);
      SplittableRandom rnd = new SplittableRandom(seed);
      for (int[] a : out) {
        int i = rnd.nextInt(count);
        a[i] = wrong.applyAsInt(a[i]);
      }
      return out;
    }

    @Override
    public int[] predictTargets(io.statex.data.TokenBatch b) {
      return inner.predictTargets(b);
    }

    @Override
    public Nll nll(io.statex.data.TokenBatch b) {
      return inner.nll(b);
    }
  }
}

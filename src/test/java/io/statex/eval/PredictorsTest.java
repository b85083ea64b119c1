package io.statex.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.autograd.NoGrad;
import io.statex.data.PasskeyVocab;
import io.statex.data.TokenBatch;
import io.statex.data.TokenSource;
import io.statex.nn.Compute;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelPresets;
import io.statex.ops.MatMul;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real models behind the predictor interface, on tiny random models of both families: greedy
 * decoding step by step picks the argmax of the one-pass forward logits at every position, the
 * teacher-forced predictions and log-likelihoods of the two predictors agree, and every evaluation
 * runs end to end with well-formed cells.
 */
class PredictorsTest {
  /** Logit gaps below this are ties: the two computations may order them either way. */
  private static final double TIE = 1e-4;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void stepDecodingEqualsTheOnePassArgmax(String preset) {
    long seed = Seeds.fresh("decode-" + preset);
    int vocab = 31, n = 3, t = 19, count = 5;
    SplittableRandom rnd = new SplittableRandom(seed);
    int[][] prompts = new int[n][];
    for (int i = 0; i < n; i++) {
      prompts[i] = rnd.ints(t, 0, vocab).toArray();
    }
    Compute c = Compute.f32();
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, vocab), new Init(DType.F32, Device.CPU, seed))) {
      int[][] stepped = new RecurrentPredictor(m, c).generate(prompts, count);
      int[][] passes = new ForwardPredictor(m, c).generate(prompts, count);
      for (int i = 0; i < n; i++) {
        String where = preset + " prompt " + i + " (" + Seeds.describe() + ")";
        int[] full = concat(prompts[i], stepped[i]);
        float[][] logits = logits(m, full);
        for (int k = 0; k < count; k++) {
          float[] row = logits[t - 1 + k];
          assertGreedy(row, stepped[i][k], where + ", step decoding, token " + k);
          if (Arrays.equals(Arrays.copyOf(stepped[i], k), Arrays.copyOf(passes[i], k))) {
            assertGreedy(row, passes[i][k], where + ", forward passes, token " + k);
          }
        }
      }
      assertEquals(0, new RecurrentPredictor(m, c).generate(prompts, 0)[0].length);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void teacherForcedPredictionsAndLikelihoodsAgree(String preset) {
    long seed = Seeds.fresh("forced-" + preset);
    int vocab = 29, n = 2, t = 23;
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] inputs = rnd.ints(n * t, 0, vocab).toArray();
    int[] targets = rnd.ints(n * t, -1, vocab).toArray();
    TokenBatch b = new TokenBatch(n, t, inputs, targets);
    Compute c = Compute.f32();
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, vocab), new Init(DType.F32, Device.CPU, seed))) {
      int[] stepped = new RecurrentPredictor(m, c).predictTargets(b);
      int[] onePass = new ForwardPredictor(m, c).predictTargets(b);
      assertEquals(b.targetCount(), stepped.length);
      for (int row = 0, k = 0; row < n; row++) {
        float[][] logits = logits(m, Arrays.copyOfRange(inputs, row * t, (row + 1) * t));
        for (int s = 0; s < t; s++) {
          if (targets[row * t + s] != TokenBatch.IGNORE) {
            String where = preset + " row " + row + " position " + s + " (" + Seeds.describe() + ")";
            assertGreedy(logits[s], stepped[k], where + ", step");
            assertGreedy(logits[s], onePass[k], where + ", one pass");
            k++;
          }
        }
      }
      Predictor.Nll a = new RecurrentPredictor(m, c).nll(b), f = new ForwardPredictor(m, c).nll(b);
      assertEquals(b.targetCount(), a.tokens());
      assertEquals(f.tokens(), a.tokens());
      assertTrue(Math.abs(a.sum() - f.sum()) <= 1e-5 * Math.abs(f.sum()),
          preset + ": NLL step " + a.sum() + " vs one pass " + f.sum() + " (" + Seeds.describe() + ")");
      double want = referenceNll(m, b);
      assertTrue(Math.abs(a.sum() - want) <= 1e-5 * Math.abs(want), preset + ": NLL " + a.sum() + " vs " + want);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void everyEvaluationRunsOnATinyModel(String preset) {
    long seed = Seeds.fresh("evals-" + preset);
    MqarTask mqar = new MqarTask(16, 16, 1, 4, 0);
    NeedleTask niah = new NeedleTask(1, 2, 1, 16, 16);
    int vocab = (int) mqar.vocabSize();
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, vocab), new Init(DType.F32, Device.CPU, seed))) {
      long[] steps = {0};
      Predictor p = new RecurrentPredictor(m, Compute.f32(), (done, total) -> steps[0]++);
      Grid depthGrid = new Grid(List.of(40, 29), List.of(0.0, 0.5, 1.0), 3, seed, 2);
      Grid lengthGrid = new Grid(List.of(24, 48), List.of(), 3, seed, 2);
      List<Cell> passkey = ExactMatch.run(p, new PasskeyTask(2), depthGrid, c -> {});
      List<Cell> needle = ExactMatch.run(p, niah, depthGrid, c -> {});
      List<Cell> recall = MqarEval.run(p, mqar, lengthGrid, c -> {});
      int[] tokens = new SplittableRandom(seed).ints(400, 0, vocab).toArray();
      List<Cell> ppl = PerplexityEval.run(p, TokenSource.of(tokens, vocab, -1), lengthGrid, c -> {});
      assertTrue(steps[0] > 0, "progress was never reported");
      for (List<Cell> cells : List.of(passkey, needle, recall)) {
        ScoringTest.assertComplete(cells == recall ? lengthGrid : depthGrid, cells, cells != recall);
        for (Cell c : cells) {
          assertTrue(c.score() >= 0 && c.score() <= 1, preset + ": accuracy " + c);
        }
      }
      ScoringTest.assertComplete(lengthGrid, ppl, false);
      for (Cell c : ppl) {
        assertTrue(Double.isFinite(c.score()) && c.score() >= 1, preset + ": perplexity " + c);
        assertEquals(3L * c.length(), c.scored(), c.toString());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"recurrent", "forward"})
  void idsOutsideTheVocabularyAreRefusedNamingThePrompt(String kind) {
    try (LanguageModel m = LanguageModel.create(ModelPresets.get("gla-tiny", 11), new Init(DType.F32, Device.CPU, 3))) {
      Predictor p = kind.equals("recurrent") ? new RecurrentPredictor(m, Compute.f32()) : new ForwardPredictor(m, Compute.f32());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> p.generate(new int[][] {{1, 2}, {3, 11}}, 2));
      assertTrue(e.getMessage().startsWith("prompts[1][1]") && e.getMessage().contains("11"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> p.generate(new int[][] {{1, 2}, {3}}, 2));
      assertTrue(e.getMessage().startsWith("prompts[1].length"), e.getMessage());
      e = assertThrows(IllegalArgumentException.class, () -> p.generate(new int[][] {{1}}, -1));
      assertTrue(e.getMessage().startsWith("count"), e.getMessage());
      TokenBatch big = new TokenBatch(1, 2, new int[] {1, 2}, new int[] {PasskeyVocab.size(), -1});
      e = assertThrows(IllegalArgumentException.class, () -> p.predictTargets(big));
      assertTrue(e.getMessage().startsWith("batch.targets[0]"), e.getMessage());
    }
  }

  /** token is the argmax of row, up to ties within TIE. */
  private static void assertGreedy(float[] row, int token, String where) {
    int best = 0;
    for (int v = 1; v < row.length; v++) {
      best = row[v] > row[best] ? v : best;
    }
    assertTrue(row[token] >= row[best] - TIE, where + ": chose " + token + " (logit " + row[token] + "), the argmax is "
        + best + " (logit " + row[best] + ")");
  }

  /** The one-pass logits [T][vocab] of one sequence (full logits: fine for a test's tiny sizes). */
  private static float[][] logits(LanguageModel m, int[] ids) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Tensor h = m.hidden(Tensor.ofInts(ids, 1, ids.length), Compute.f32()).value();
      float[] flat = MatMul.matmul(h, m.headWeight().value(), false, true).toFloatArray();
      int vocab = (int) m.config().vocabSize();
      float[][] out = new float[ids.length][];
      for (int s = 0; s < ids.length; s++) {
        out[s] = Arrays.copyOfRange(flat, s * vocab, (s + 1) * vocab);
      }
      return out;
    }
  }

  /** Sum of -log softmax at the counted targets, in double from the one-pass logits. */
  private static double referenceNll(LanguageModel m, TokenBatch b) {
    double sum = 0;
    int t = b.length();
    for (int row = 0; row < b.batch(); row++) {
      float[][] logits = logits(m, Arrays.copyOfRange(b.inputs(), row * t, (row + 1) * t));
      for (int s = 0; s < t; s++) {
        int tg = b.targets()[row * t + s];
        if (tg != TokenBatch.IGNORE) {
          double max = Double.NEGATIVE_INFINITY, z = 0;
          for (float x : logits[s]) {
            max = Math.max(max, x);
          }
          for (float x : logits[s]) {
            z += Math.exp(x - max);
          }
          sum += max + Math.log(z) - logits[s][tg];
        }
      }
    }
    return sum;
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

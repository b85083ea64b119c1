package io.statex.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.json.JsonException;
import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** results.json read back with the project's strict parser gives the same records; bad documents name the field. */
class ResultsJsonTest {
  @Test
  void randomResultsRoundTripExactly() throws JsonException {
    long seed = Seeds.fresh("results-json");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int trial = 0; trial < 20; trial++) {
      EvalResults r = random(rnd);
      String json = ResultsJson.write(r);
      assertEquals(r, ResultsJson.read(json), "trial " + trial + " (" + Seeds.describe() + ")\n" + json);
    }
  }

  @Test
  void infiniteScoresAreWrittenAsNullAndReadAsNaN() throws JsonException {
    Grid g = new Grid(List.of(8), List.of(), 1, 0, 1);
    Cell c = new Cell(8, Double.NaN, 1, 8, Double.POSITIVE_INFINITY, 0.5);
    EvalResults r = new EvalResults("ppl", Metric.PERPLEXITY, g, Map.of(), List.of(new ModelResult("m", "f", 1, 2, 3, List.of(c))));
    String json = ResultsJson.write(r);
    assertTrue(json.contains("\"score\": null"), json);
    assertTrue(Double.isNaN(ResultsJson.read(json).models().get(0).cells().get(0).score()));
  }

  @Test
  void badDocumentsFailNamingTheField() {
    Grid g = new Grid(List.of(8, 16), List.of(0.5), 2, 9, 1);
    List<Cell> cells = List.of(new Cell(8, 0.5, 2, 2, 1, 0.1), new Cell(16, 0.5, 2, 2, 0.5, 0.2));
    String good = ResultsJson.write(new EvalResults("passkey", Metric.ACCURACY, g, Map.of("digits", "5"),
        List.of(new ModelResult("m", "f", 1, 2, 3, cells))));
    Map<String, String> broken = new LinkedHashMap<>();
    broken.put(good.replace("statex-eval/1", "statex-eval/9"), "results.schema");
    broken.put(good.replace("\"metric\": \"accuracy\"", "\"metric\": \"bleu\""), "results.metric");
    broken.put(good.replace("\"score\": 0.5", "\"score\": \"high\""), "results.models[0].cells[1].score");
    broken.put(good.replace(", \"score\": 0.5", ""), "results.models[0].cells[1].score");
    broken.put(good.replace("\"length\": 16", "\"length\": 0"), "results.models[0].cells[1].length");
    broken.put(good.replace("\"examples\": 2,\n", "\"examples\": 0,\n"), "results.grid.examples");
    broken.put(good.replace("\"depths\": [0.5]", "\"depths\": [\"deep\"]"), "results.grid.depths[0]");
    broken.put(good.replace("\"state_size\": 2", "\"state_size\": 2.5"), "results.models[0].state_size");
    broken.put(good.replace("\"digits\": \"5\"", "\"digits\": 5"), "results.settings.digits");
    broken.put(good.replace("\"lengths\": [8, 16]", "\"lengths\": [8, 8]"), "results.grid");
    broken.put(good.substring(0, good.length() / 2), "");
    broken.forEach((doc, field) -> {
      assertTrue(!doc.equals(good), "the edit for " + field + " changed nothing");
      JsonException e = assertThrows(JsonException.class, () -> ResultsJson.read(doc), field);
      assertTrue(e.getMessage().contains(field), "expected the message to name " + field + ": " + e.getMessage());
    });
  }

  private static EvalResults random(SplittableRandom rnd) {
    List<Integer> lengths = new ArrayList<>();
    for (int l = 1 + rnd.nextInt(64); lengths.size() < 1 + rnd.nextInt(6); l += 1 + rnd.nextInt(5000)) {
      lengths.add(l);
    }
    boolean depths = rnd.nextBoolean();
    List<Double> ds = depths ? List.of(0.0, rnd.nextDouble(), 1.0) : List.of();
    Grid g = new Grid(lengths, ds, 1 + rnd.nextInt(100), rnd.nextLong(), 1 + rnd.nextInt(64));
    Metric metric = Metric.values()[rnd.nextInt(2)];
    List<ModelResult> models = new ArrayList<>();
    for (int m = rnd.nextInt(4); m > 0; m--) {
      List<Cell> cells = new ArrayList<>();
      for (int l : lengths) {
        for (double d : depths ? ds : List.of(Double.NaN)) {
          double score = rnd.nextInt(5) == 0 ? Double.NaN : metric == Metric.ACCURACY ? rnd.nextDouble() : 1 + rnd.nextDouble() * 1e4;
          cells.add(new Cell(l, d, g.examples(), rnd.nextLong(1L << 40), score, rnd.nextDouble() * 100));
        }
      }
      models.add(new ModelResult(name(rnd), "ckpt/\"" + name(rnd) + "\\x", rnd.nextLong(1L << 40), rnd.nextLong(1L << 40),
          rnd.nextDouble() * 1e4, cells));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (int k = rnd.nextInt(4); k > 0; k--) {
      settings.put(name(rnd), name(rnd));
    }
    return new EvalResults(rnd.nextBoolean() ? "passkey" : "ppl", metric, g, settings, models);
  }

  /** Names with quotes, backslashes, control characters and non-ASCII letters. */
  private static String name(SplittableRandom rnd) {
    String alphabet = "abcXYZ09-_/ \"\\\n\t\u00e9\u4e2d\ud83d\ude00";
    StringBuilder sb = new StringBuilder();
    for (int i = rnd.nextInt(12); i >= 0; i--) {
      int at = rnd.nextInt(alphabet.length() - 1);
      sb.append(Character.isHighSurrogate(alphabet.charAt(at)) ? alphabet.substring(at, at + 2) : Character.isLowSurrogate(
          alphabet.charAt(at)) ? "q" : String.valueOf(alphabet.charAt(at)));
    }
    return sb.toString();
  }
}

package io.statex.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The report holds every table cell, escapes names, and inlines the very PNGs it was given. */
class HtmlReportTest {
  @Test
  void theReportHoldsTheTablesAndInlinesThePlots() {
    long seed = Seeds.fresh("html");
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Integer> lengths = List.of(1024, 4096, 16384);
    List<Double> depths = List.of(0.0, 0.5, 1.0);
    List<ModelResult> models = new ArrayList<>();
    for (String name : List.of("gla <lpt>", "gla & statex")) {
      List<Cell> cells = new ArrayList<>();
      for (int l : lengths) {
        for (double d : depths) {
          cells.add(new Cell(l, d, 8, 8, rnd.nextInt(9) / 8.0, 1));
        }
      }
      models.add(new ModelResult(name, "runs/" + name, 1000, 64, 2.5, cells));
    }
    EvalResults r = new EvalResults("passkey", Metric.ACCURACY, new Grid(lengths, depths, 8, seed, 4), Map.of("digits", "5"),
        models);
    byte[] line = Plots.byLength(r, 400, 300);
    List<byte[]> maps = List.of(Plots.heatmap(r, models.get(0), 400, 300), Plots.heatmap(r, models.get(1), 400, 300));
    String html = HtmlReport.render(r, line, maps);
    assertTrue(html.contains("gla &lt;lpt&gt;") && html.contains("gla &amp; statex"), "names are not escaped");
    assertFalse(html.contains("<lpt>"), "a raw name leaked into the markup");
    for (ModelResult m : models) {
      for (int l : lengths) {
        assertTrue(html.contains("<td>" + Table.score(m.scoreAt(l, Metric.ACCURACY)) + "</td>"), m.name() + " at " + l);
        for (double d : depths) {
          assertTrue(html.contains("<td>" + Table.score(m.cell(l, d).score()) + "</td>"), m.name() + " at " + l + ", " + d);
        }
      }
    }
    assertEquals(1 + 1 + 2, count(html, "<table>"), "models, by length, and one depth table per model");
    Matcher img = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    List<byte[]> inlined = new ArrayList<>();
    while (img.find()) {
      inlined.add(Base64.getDecoder().decode(img.group(1)));
    }
    assertEquals(3, inlined.size());
    assertArrayEquals(line, inlined.get(0));
    assertArrayEquals(maps.get(1), inlined.get(2));
    assertThrows(IllegalArgumentException.class, () -> HtmlReport.render(r, line, List.of(line)));
  }

  @Test
  void tablesAverageDepthsAndMarkMissingCells() {
    Cell a = new Cell(64, 0.0, 4, 4, 1.0, 1), b = new Cell(64, 1.0, 4, 4, 0.5, 1);
    EvalResults r = new EvalResults("niah", Metric.ACCURACY, new Grid(List.of(64, 128), List.of(0.0, 1.0), 4, 1, 1), Map.of(),
        List.of(new ModelResult("m", "f", 1, 1, 1, List.of(a, b))));
    Table t = Table.byLength(r);
    assertEquals(List.of(List.of("64", "0.750"), List.of("128", "-")), t.rows());
    assertEquals(List.of(List.of("0", "1.000", "-"), List.of("1", "0.500", "-")), Table.depthByLength(r, r.models().get(0)).rows());
    assertEquals("niah: accuracy by context length (mean over depths)\n"
        + "length      m\n"
        + "64      0.750\n"
        + "128         -\n", t.toText());
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}

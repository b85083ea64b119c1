package io.statex.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The PNG plots decode at the size asked for, draw what they are given, and survive NaN, empty and odd input. */
class PlotsTest {
  @Test
  void lineChartsDecodeAtTheirSizeAndDrawEveryCurve() throws IOException {
    long seed = Seeds.fresh("line-chart");
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int trial = 0; trial < 6; trial++) {
      int w = 320 + rnd.nextInt(900), h = 240 + rnd.nextInt(600);
      List<Series> series = new ArrayList<>();
      int curves = 1 + rnd.nextInt(4);
      for (int s = 0; s < curves; s++) {
        int n = 2 + rnd.nextInt(8);
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
          x[i] = Math.pow(2, 6 + rnd.nextInt(12));
          y[i] = rnd.nextDouble();
        }
        series.add(new Series("model " + s, x, y));
      }
      BufferedImage img = decode(LineChart.render("t", "x", "y", series, 0, 1, w, h));
      String where = w + " x " + h + " (" + Seeds.describe() + ")";
      assertEquals(w, img.getWidth(), where);
      assertEquals(h, img.getHeight(), where);
      for (int s = 0; s < curves; s++) {
        assertTrue(count(img, LineChart.PALETTE[s]) > 20, "curve " + s + " is not drawn at " + where);
      }
    }
  }

  @Test
  void nanEmptyAndDegenerateSeriesDrawWithoutThrowing() throws IOException {
    double nan = Double.NaN;
    List<List<Series>> cases = List.of(
        List.of(),
        List.of(new Series("empty", new double[0], new double[0])),
        List.of(new Series("all nan", new double[] {1024, 2048}, new double[] {nan, nan})),
        List.of(new Series("gaps", new double[] {1024, 2048, 4096, 8192}, new double[] {0.5, nan, 0.7, nan})),
        List.of(new Series("one point", new double[] {3000}, new double[] {42})),
        List.of(new Series("flat", new double[] {64, 128}, new double[] {7, 7})),
        List.of(new Series("bad x", new double[] {0, -5, nan, Double.POSITIVE_INFINITY}, new double[] {1, 2, 3, 4})),
        List.of(new Series("infinite y", new double[] {512, 1024}, new double[] {Double.POSITIVE_INFINITY, 3})),
        List.of(new Series("", new double[] {1 << 20}, new double[] {1e-12}),
            new Series("a name far too long to fit into the legend of a narrow chart, however it is cut", new double[] {8},
                new double[] {1e12})));
    for (List<Series> c : cases) {
      for (double[] range : new double[][] {{0, 1}, {Double.NaN, Double.NaN}, {Double.NaN, 5}}) {
        BufferedImage img = decode(LineChart.render("case", "x", "y", c, range[0], range[1], 300, 200));
        assertEquals(300, img.getWidth());
        assertEquals(200, img.getHeight());
      }
    }
    BufferedImage allNan = decode(LineChart.render("t", "x", "y",
        List.of(new Series("all nan", new double[] {1024, 2048}, new double[] {nan, nan})), 0, 1, 400, 300));
    // the legend's sample is drawn, the curve is not: a few marker pixels at most
    assertTrue(count(allNan, LineChart.PALETTE[0]) < 200, "an all-NaN series drew a curve");
    assertThrows(IllegalArgumentException.class,
        () -> LineChart.render("t", "x", "y", List.of(), Double.NEGATIVE_INFINITY, 1, 300, 200));
    assertThrows(IllegalArgumentException.class, () -> new Series("s", new double[2], new double[3]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LineChart.render("t", "x", "y", List.of(), 0, 1, 10, 200));
    assertTrue(e.getMessage().startsWith("width x height"), e.getMessage());
  }

  @Test
  void heatmapsDecodeAtTheirSizeAndShowNanCellsInGrey() throws IOException {
    long seed = Seeds.fresh("heatmap");
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Double> depths = List.of(0.0, 0.25, 0.5, 0.75, 1.0);
    List<Integer> lengths = List.of(1024, 2048, 4096, 8192, 16384, 32768, 65536);
    double[][] v = new double[depths.size()][lengths.size()];
    for (double[] row : v) {
      for (int k = 0; k < row.length; k++) {
        row[k] = rnd.nextDouble();
      }
    }
    Color grey = new Color(0xdee2e6);
    BufferedImage full = decode(Heatmap.render("m", depths, lengths, v, 700, 420));
    assertEquals(700, full.getWidth());
    assertEquals(420, full.getHeight());
    assertEquals(0, count(full, grey), "a grey (NaN) cell without a NaN (" + Seeds.describe() + ")");
    v[rnd.nextInt(depths.size())][rnd.nextInt(lengths.size())] = Double.NaN;
    assertTrue(count(decode(Heatmap.render("m", depths, lengths, v, 700, 420)), grey) > 100, "the NaN cell is not grey");
    BufferedImage empty = decode(Heatmap.render("none", List.of(), List.of(), new double[0][], 300, 200));
    assertEquals(300, empty.getWidth());
    decode(Heatmap.render("tiny", depths, lengths, v, 64, 64));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Heatmap.render("m", depths, lengths, new double[depths.size()][3], 300, 200));
    assertTrue(e.getMessage().startsWith("values[0]"), e.getMessage());
  }

  @Test
  void everyPrintableCharacterHasAGlyphAndLabelsReadAsLengths() {
    for (char ch = 32; ch < 127; ch++) {
      assertTrue(BitmapFont.covers(ch), "no glyph for '" + ch + "'");
    }
    assertFalse(BitmapFont.covers('\u00e9'));
    assertEquals("512", LineChart.lengthLabel(512));
    assertEquals("1K", LineChart.lengthLabel(1024));
    assertEquals("1.5K", LineChart.lengthLabel(1536));
    assertEquals("64K", LineChart.lengthLabel(65536));
    assertEquals("1M", LineChart.lengthLabel(1 << 20));
    assertEquals("3000", LineChart.lengthLabel(3000));
    assertEquals("0.25", Heatmap.depthLabel(0.25));
    assertEquals("0", Heatmap.depthLabel(0));
    assertEquals("1", Heatmap.depthLabel(1));
  }

  static BufferedImage decode(byte[] png) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "not a decodable PNG");
    return img;
  }

  private static int count(BufferedImage img, Color c) {
    int n = 0, rgb = c.getRGB();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        n += img.getRGB(x, y) == rgb ? 1 : 0;
      }
    }
    return n;
  }
}

package io.statex.eval;

import java.awt.Color;
import java.util.List;
import java.util.Locale;

/**
 * A depth x length accuracy map as PNG: one row per depth (0, the start of the context, on top),
 * one column per context length, each cell coloured from red (0) through yellow to green (1) and
 * labelled with its accuracy when it is wide enough; NaN cells are grey with a dash. A colour bar
 * on the right gives the scale.
 */
public final class Heatmap {
  private static final int SCALE = 2;
  private static final int PAD = 10;
  private static final Color NAN = new Color(0xdee2e6);
  /** Anchors of the colour scale at 0, 0.5 and 1. */
  private static final int[][] STOPS = {{0xc9, 0x2a, 0x2a}, {0xf7, 0xe0, 0x8a}, {0x2b, 0x8a, 0x3e}};

  private Heatmap() {}

  /** values[row][column] in [0, 1] (or NaN), rows labelled by depth, columns by length. */
  public static byte[] render(String title, List<Double> depths, List<Integer> lengths, double[][] values, int width,
      int height) {
    check(depths, lengths, values);
    Canvas c = new Canvas(width, height);
    int th = BitmapFont.height(SCALE);
    int left = PAD * 3 + th + depths.stream().mapToInt(d -> BitmapFont.width(depthLabel(d), SCALE)).max().orElse(0);
    int top = PAD * 3 + th;
    int bottom = PAD * 3 + 2 * th;
    int bar = 70;
    int x0 = left, y0 = top, x1 = Math.max(x0 + 1, width - bar - PAD * 2), y1 = Math.max(y0 + 1, height - bottom);
    c.text(Canvas.fit(title, width - 2 * PAD, SCALE), width / 2, PAD, SCALE, Canvas.INK, Canvas.Align.CENTER);
    int rows = depths.size(), cols = lengths.size();
    for (int r = 0; r < rows; r++) {
      int cy0 = y0 + (y1 - y0) * r / Math.max(1, rows), cy1 = y0 + (y1 - y0) * (r + 1) / Math.max(1, rows);
      c.text(depthLabel(depths.get(r)), x0 - PAD, (cy0 + cy1) / 2 - th / 2, SCALE, Canvas.INK, Canvas.Align.RIGHT);
      for (int k = 0; k < cols; k++) {
        int cx0 = x0 + (x1 - x0) * k / Math.max(1, cols), cx1 = x0 + (x1 - x0) * (k + 1) / Math.max(1, cols);
        cell(c, cx0, cy0, cx1, cy1, values[r][k]);
      }
    }
    int every = (int) Math.ceil((BitmapFont.width("128K", SCALE) + 8.0) / Math.max(1, (x1 - x0) / Math.max(1, cols)));
    for (int k = 0; k < cols; k += every) {
      int cx = x0 + (x1 - x0) * (2 * k + 1) / Math.max(1, 2 * cols);
      c.text(LineChart.lengthLabel(lengths.get(k)), cx, y1 + PAD, SCALE, Canvas.INK, Canvas.Align.CENTER);
    }
    if (rows == 0 || cols == 0) {
      c.text("no data", (x0 + x1) / 2, (y0 + y1) / 2 - th / 2, SCALE, Canvas.MUTED, Canvas.Align.CENTER);
    }
    c.text("context length", (x0 + x1) / 2, y1 + 2 * PAD + th, SCALE, Canvas.INK, Canvas.Align.CENTER);
    c.verticalText("needle depth", PAD + th / 2, (y0 + y1) / 2, SCALE, Canvas.INK);
    colourBar(c, x1 + PAD * 2, y0, y1);
    return c.png();
  }

  private static void check(List<Double> depths, List<Integer> lengths, double[][] values) {
    if (values.length != depths.size()) {
      throw new IllegalArgumentException("values: expected one row per depth (" + depths.size() + "), found " + values.length);
    }
    for (int r = 0; r < values.length; r++) {
      if (values[r].length != lengths.size()) {
        throw new IllegalArgumentException("values[" + r + "]: expected one value per length (" + lengths.size() + "), found "
            + values[r].length);
      }
    }
  }

  private static void cell(Canvas c, int x0, int y0, int x1, int y1, double v) {
    Color fill = Double.isNaN(v) ? NAN : colour(v);
    c.g.setColor(fill);
    c.g.fillRect(x0, y0, x1 - x0, y1 - y0);
    c.g.setColor(Color.WHITE);
    c.g.drawRect(x0, y0, x1 - x0, y1 - y0);
    String label = Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    int th = BitmapFont.height(SCALE);
    if (BitmapFont.width(label, SCALE) + 4 <= x1 - x0 && th + 4 <= y1 - y0) {
      Color ink = luminance(fill) > 140 ? Canvas.INK : Color.WHITE;
      c.text(label, (x0 + x1) / 2, (y0 + y1) / 2 - th / 2 + 1, SCALE, ink, Canvas.Align.CENTER);
    }
  }

  private static void colourBar(Canvas c, int x, int y0, int y1) {
    int w = 16;
    for (int y = y0; y < y1; y++) {
      c.g.setColor(colour(1 - (double) (y - y0) / Math.max(1, y1 - y0 - 1)));
      c.g.fillRect(x, y, w, 1);
    }
    int th = BitmapFont.height(SCALE);
    for (double v : new double[] {0, 0.5, 1}) {
      int y = (int) Math.round(y1 - v * (y1 - y0));
      c.line(x + w, y, x + w + 4, y, Canvas.INK, 1);
      c.text(String.format(Locale.ROOT, "%.1f", v), x + w + 7, Math.min(Math.max(y - th / 2, y0 - th / 2), y1 - th / 2),
          SCALE, Canvas.INK, Canvas.Align.LEFT);
    }
  }

  /** Red (0), yellow (0.5), green (1), linear in between; values outside [0, 1] are clamped. */
  static Color colour(double v) {
    double t = Math.max(0, Math.min(1, v)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) t);
    double f = t - i;
    int[] rgb = new int[3];
    for (int k = 0; k < 3; k++) {
      rgb[k] = (int) Math.round(STOPS[i][k] + f * (STOPS[i + 1][k] - STOPS[i][k]));
    }
    return new Color(rgb[0], rgb[1], rgb[2]);
  }

  private static double luminance(Color c) {
    return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
  }

  /** 0, 0.25, 0.5, 1: at most three decimals, no trailing zeros. */
  static String depthLabel(double d) {
    return String.format(Locale.ROOT, "%.3f", d).replaceAll("\\.?0+$", "");
  }
}

package io.statex.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as PNG: x on a log2 axis (context lengths: ticks at powers of two, labelled 512, 1K,
 * 64K, 1M), y linear on a fixed range (accuracy, [0, 1]) or one fitted to the data (perplexity).
 * One colour and marker per series, with a legend; NaN values leave gaps, points with x <= 0 are
 * left out, and a chart with nothing to draw still has its axes and says "no data".
 */
public final class LineChart {
  private static final int SCALE = 2;
  private static final int PAD = 10;
  static final Color[] PALETTE = {
    new Color(0x1c, 0x5d, 0xc4), new Color(0xe0, 0x6a, 0x0b), new Color(0x2b, 0x8a, 0x3e), new Color(0xc2, 0x25, 0x5c),
    new Color(0x6b, 0x45, 0xc8), new Color(0x0c, 0x85, 0x99), new Color(0x5c, 0x5f, 0x66), new Color(0xa6, 0x7c, 0x00)};

  private LineChart() {}

  /**
   * The chart as PNG bytes. yMin and yMax fix the y range; pass NaN for either to fit the data.
   */
  public static byte[] render(String title, String xLabel, String yLabel, List<Series> series, double yMin, double yMax,
      int width, int height) {
    if (Double.isInfinite(yMin) || Double.isInfinite(yMax)) {
      throw new IllegalArgumentException("yMin, yMax: expected finite values or NaN (fit the data), found " + yMin + ", " + yMax);
    }
    Canvas c = new Canvas(width, height);
    Range y = yRange(series, yMin, yMax);
    Range x = xRange(series);
    int legend = legendWidth(series, width);
    int left = PAD * 3 + BitmapFont.height(SCALE) + tickLabelWidth(y);
    int top = PAD * 3 + BitmapFont.height(SCALE);
    int bottom = PAD * 3 + 2 * BitmapFont.height(SCALE);
    int right = Math.max(left + 1, width - legend - PAD * 2);
    Frame f = new Frame(left, top, right, Math.max(top + 1, height - bottom), spaced(x, right - left), y);
    c.text(Canvas.fit(title, width - 2 * PAD, SCALE), width / 2, PAD, SCALE, Canvas.INK, Canvas.Align.CENTER);
    axes(c, f, xLabel, yLabel);
    boolean any = false;
    for (int i = 0; i < series.size(); i++) {
      any |= curve(c, f, series.get(i), i);
    }
    if (!any) {
      c.text("no data", (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2 - BitmapFont.height(SCALE) / 2, SCALE, Canvas.MUTED,
          Canvas.Align.CENTER);
    }
    legend(c, f, series, width);
    return c.png();
  }

  /** A closed interval with its tick step; log2 when the axis is logarithmic. */
  private record Range(double lo, double hi, double step) {
    double span() {
      return hi - lo;
    }
  }

  /** The plot area in pixels and the ranges it maps. */
  private record Frame(int x0, int y0, int x1, int y1, Range x, Range y) {
    double px(double value) {
      return x0 + (log2(value) - x.lo()) / x.span() * (x1 - x0);
    }

    double py(double value) {
      return y1 - (value - y.lo()) / y.span() * (y1 - y0);
    }
  }

  private static Range xRange(List<Series> series) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double v : s.x()) {
        if (v > 0 && Double.isFinite(v)) {
          lo = Math.min(lo, Math.floor(log2(v)));
          hi = Math.max(hi, Math.ceil(log2(v)));
        }
      }
    }
    if (lo > hi) {
      return new Range(10, 16, 1); // no data: 1K to 64K
    }
    if (lo == hi) {
      return new Range(lo - 1, hi + 1, 1);
    }
    return new Range(lo, hi, 1);
  }

  /** x with its tick step widened (in whole octaves) until the labels fit side by side in pixels. */
  private static Range spaced(Range x, int pixels) {
    int label = BitmapFont.width("128K", SCALE) + 12;
    double perOctave = pixels / x.span();
    return new Range(x.lo(), x.hi(), Math.max(1, Math.ceil(label / Math.max(1e-9, perOctave))));
  }

  private static Range yRange(List<Series> series, double fixedLo, double fixedHi) {
    double lo = fixedLo, hi = fixedHi;
    if (Double.isNaN(lo) || Double.isNaN(hi)) {
      double[] finite = series.stream().flatMapToDouble(s -> Arrays.stream(s.y())).filter(Double::isFinite).toArray();
      double dataLo = finite.length == 0 ? 0 : Arrays.stream(finite).min().getAsDouble();
      double dataHi = finite.length == 0 ? 1 : Arrays.stream(finite).max().getAsDouble();
      lo = Double.isNaN(lo) ? dataLo : lo;
      hi = Double.isNaN(hi) ? dataHi : hi;
    }
    if (!(hi > lo)) {
      double pad = Math.max(1e-9, Math.abs(lo) * 0.1);
      lo -= pad;
      hi += pad;
    }
    double step = niceStep((hi - lo) / 5);
    boolean fixed = !Double.isNaN(fixedLo) && !Double.isNaN(fixedHi);
    return fixed ? new Range(lo, hi, step) : new Range(Math.floor(lo / step) * step, Math.ceil(hi / step) * step, step);
  }

  /** 1, 2 or 5 times a power of ten, at least raw. */
  private static double niceStep(double raw) {
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= raw * (1 - 1e-9)) {
        return m * p;
      }
    }
    return 10 * p;
  }

  /** lo, lo + step, ... up to hi; at most 64 (a step below the values' precision cannot loop forever). */
  private static List<Double> ticks(Range r) {
    List<Double> out = new ArrayList<>();
    for (int k = 0; k < 64; k++) {
      double v = r.lo() + k * r.step();
      if (!(v <= r.hi() + r.step() * 1e-6)) {
        break;
      }
      out.add(Math.abs(v) < r.step() * 1e-9 ? 0 : v);
    }
    return out;
  }

  private static String yLabel(double v, Range r) {
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(r.step()) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static int tickLabelWidth(Range y) {
    return ticks(y).stream().mapToInt(v -> BitmapFont.width(yLabel(v, y), SCALE)).max().orElse(0);
  }

  private static void axes(Canvas c, Frame f, String xLabel, String yLabel) {
    int th = BitmapFont.height(SCALE);
    for (double v : ticks(f.y())) {
      int py = (int) Math.round(f.py(v));
      c.line(f.x0, py, f.x1, py, Canvas.GRID, 1);
      c.text(yLabel(v, f.y()), f.x0 - PAD, py - th / 2, SCALE, Canvas.INK, Canvas.Align.RIGHT);
    }
    for (double e : ticks(f.x())) {
      int px = (int) Math.round(f.px(Math.pow(2, e)));
      c.line(px, f.y0, px, f.y1, Canvas.GRID, 1);
      c.line(px, f.y1, px, f.y1 + 5, Canvas.INK, 1);
      c.text(lengthLabel(Math.pow(2, e)), px, f.y1 + PAD, SCALE, Canvas.INK, Canvas.Align.CENTER);
    }
    c.line(f.x0, f.y1, f.x1, f.y1, Canvas.INK, 1.5f);
    c.line(f.x0, f.y0, f.x0, f.y1, Canvas.INK, 1.5f);
    c.text(xLabel, (f.x0 + f.x1) / 2, f.y1 + 2 * PAD + th, SCALE, Canvas.INK, Canvas.Align.CENTER);
    c.verticalText(yLabel, PAD + th / 2, (f.y0 + f.y1) / 2, SCALE, Canvas.INK);
  }

  /** Draws one series; true when it had a point to draw. */
  private static boolean curve(Canvas c, Frame f, Series s, int index) {
    Color color = PALETTE[index % PALETTE.length];
    Integer[] order = new Integer[s.x().length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(s.x()[a], s.x()[b]));
    c.g.setClip(new Rectangle2D.Double(f.x0 - 6, f.y0 - 6, f.x1 - f.x0 + 12, f.y1 - f.y0 + 12));
    double[] prev = null;
    boolean any = false;
    for (int i : order) {
      double x = s.x()[i], y = s.y()[i];
      if (!(x > 0) || !Double.isFinite(x) || !Double.isFinite(y)) {
        prev = null; // a gap
        continue;
      }
      double[] p = {f.px(x), f.py(y)};
      if (prev != null) {
        c.line(prev[0], prev[1], p[0], p[1], color, 2.5f);
      }
      marker(c, p[0], p[1], index, color);
      prev = p;
      any = true;
    }
    c.g.setClip(null);
    return any;
  }

  /** A marker whose shape changes with the series (so curves stay apart when colours repeat or blur). */
  static void marker(Canvas c, double x, double y, int index, Color color) {
    double r = 4.5;
    java.awt.Shape shape;
    switch ((index / PALETTE.length + index) % 4) {
      case 0 -> shape = new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 1 -> shape = new Rectangle2D.Double(x - r, y - r, 2 * r, 2 * r);
      case 2 -> shape = polygon(x, y, r * 1.3, 3);
      default -> shape = polygon(x, y, r * 1.3, 4);
    }
    c.g.setColor(color);
    c.g.fill(shape);
    c.g.setColor(Color.WHITE);
    c.g.setStroke(new BasicStroke(1));
    c.g.draw(shape);
  }

  private static java.awt.Shape polygon(double x, double y, double r, int corners) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < corners; i++) {
      double a = -Math.PI / 2 + 2 * Math.PI * i / corners;
      if (i == 0) {
        p.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
      } else {
        p.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
      }
    }
    p.closePath();
    return p;
  }

  private static int legendWidth(List<Series> series, int width) {
    int text = series.stream().mapToInt(s -> BitmapFont.width(s.name(), SCALE)).max().orElse(0);
    return series.isEmpty() ? 0 : Math.min(width / 3, text + 40);
  }

  private static void legend(Canvas c, Frame f, List<Series> series, int width) {
    int x = f.x1 + PAD * 2, lineHeight = BitmapFont.height(SCALE) + 8;
    int maxText = width - x - 30;
    for (int i = 0; i < series.size(); i++) {
      int y = f.y0 + i * lineHeight;
      Color color = PALETTE[i % PALETTE.length];
      c.line(x, y + lineHeight / 2.0 - 4, x + 22, y + lineHeight / 2.0 - 4, color, 2.5f);
      marker(c, x + 11, y + lineHeight / 2.0 - 4, i, color);
      c.text(Canvas.fit(series.get(i).name(), maxText, SCALE), x + 28, y, SCALE, Canvas.INK, Canvas.Align.LEFT);
    }
  }

  /** 512, 1K, 1.5K, 64K, 1M: context lengths as people write them. */
  static String lengthLabel(double n) {
    if (n >= 1 << 20 && n % (1 << 18) == 0) {
      return trim(n / (1 << 20)) + "M";
    }
    if (n >= 1024 && n % 256 == 0) {
      return trim(n / 1024) + "K";
    }
    return trim(n);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }
}

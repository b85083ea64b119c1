package io.statex.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * An RGB image to draw a plot on, in headless mode (no display is ever needed; the property is set
 * before the first AWT class loads), with {@link BitmapFont} text and PNG output through ImageIO.
 */
final class Canvas {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Alignment of text against its anchor x. */
  enum Align { LEFT, CENTER, RIGHT }

  static final Color INK = new Color(0x21, 0x25, 0x29);
  static final Color GRID = new Color(0xe9, 0xec, 0xef);
  static final Color MUTED = new Color(0x86, 0x8e, 0x96);

  final BufferedImage image;
  final Graphics2D g;

  Canvas(int width, int height) {
    if (width < 64 || height < 64 || (long) width * height > 64L << 20) {
      throw new IllegalArgumentException("width x height: expected each >= 64 and at most 64M pixels, found " + width + " x "
          + height);
    }
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
  }

  int width() {
    return image.getWidth();
  }

  int height() {
    return image.getHeight();
  }

  /** Text with its top at y; x is its left edge, centre or right edge as align says. */
  void text(String s, int x, int y, int scale, Color color, Align align) {
    int w = BitmapFont.width(s, scale);
    int left = align == Align.LEFT ? x : align == Align.CENTER ? x - w / 2 : x - w;
    g.setColor(color);
    // squares must not be smoothed: they would blur into grey
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    BitmapFont.draw(g, s, left, y, scale);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
  }

  /** Text read bottom to top, centred on (x, y) (a y-axis label). */
  void verticalText(String s, int x, int y, int scale, Color color) {
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2, x, y);
    text(s, x, y - BitmapFont.height(scale) / 2, scale, color, Align.CENTER);
    g.setTransform(saved);
  }

  void line(double x0, double y0, double x1, double y1, Color color, float width) {
    g.setColor(color);
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(new java.awt.geom.Line2D.Double(x0, y0, x1, y1));
  }

  /** The image as PNG bytes. */
  byte[] png() {
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("ImageIO has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding in memory failed", e);
    }
    return out.toByteArray();
  }

  /** Shortens s to at most maxWidth pixels at scale, marking the cut with "..". */
  static String fit(String s, int maxWidth, int scale) {
    if (BitmapFont.width(s, scale) <= maxWidth) {
      return s;
    }
    int chars = Math.max(0, (maxWidth / scale + 1) / BitmapFont.ADVANCE - 2);
    return s.substring(0, Math.min(s.length(), chars)) + "..";
  }
}

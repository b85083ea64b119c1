package io.statex.eval;

import java.awt.Graphics2D;
import java.util.HashMap;
import java.util.Map;

/**
 * A 5 x 8 pixel font for printable ASCII, drawn as filled squares. Plots use it instead of the
 * platform's fonts because text through AWT needs fontconfig and installed fonts, which minimal GPU
 * hosts and containers often lack (the first drawString then fails); squares render the same on
 * every host, so the plots are also reproducible byte for byte. Characters outside ASCII 32-126
 * draw as a box.
 */
final class BitmapFont {
  /** Glyph width and height in font pixels; rows 0-6 stand on the baseline, row 7 is for descenders. */
  static final int WIDTH = 5, HEIGHT = 8;
  /** Horizontal advance per character, in font pixels. */
  static final int ADVANCE = WIDTH + 1;

  private static final Map<Character, boolean[][]> GLYPHS = parse("""
      ! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..
      " .#.#. .#.#. ..... ..... ..... ..... .....
      # .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.
      $ ..#.. .#### #.#.. .###. ..#.# ####. ..#..
      % ##... ##..# ...#. ..#.. .#... #..## ...##
      & .##.. #..#. #.#.. .#... #.#.# #..#. .##.#
      ' ..#.. ..#.. ..... ..... ..... ..... .....
      ( ...#. ..#.. .#... .#... .#... ..#.. ...#.
      ) .#... ..#.. ...#. ...#. ...#. ..#.. .#...
      * ..... ..#.. #.#.# .###. #.#.# ..#.. .....
      + ..... ..#.. ..#.. ##### ..#.. ..#.. .....
      , ..... ..... ..... ..... ..... .##.. ..#.. .#...
      - ..... ..... ..... ##### ..... ..... .....
      . ..... ..... ..... ..... ..... .##.. .##..
      / ..... ....# ...#. ..#.. .#... #.... .....
      0 .###. #...# #..## #.#.# ##..# #...# .###.
      1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.
      2 .###. #...# ....# ...#. ..#.. .#... #####
      3 ##### ...#. ..#.. ...#. ....# #...# .###.
      4 ...#. ..##. .#.#. #..#. ##### ...#. ...#.
      5 ##### #.... ####. ....# ....# #...# .###.
      6 ..##. .#... #.... ####. #...# #...# .###.
      7 ##### ....# ...#. ..#.. .#... .#... .#...
      8 .###. #...# #...# .###. #...# #...# .###.
      9 .###. #...# #...# .#### ....# ...#. .##..
      : ..... .##.. .##.. ..... .##.. .##.. .....
      ; ..... .##.. .##.. ..... .##.. ..#.. .#...
      < ...#. ..#.. .#... #.... .#... ..#.. ...#.
      = ..... ..... ##### ..... ##### ..... .....
      > .#... ..#.. ...#. ....# ...#. ..#.. .#...
      ? .###. #...# ....# ...#. ..#.. ..... ..#..
      @ .###. #...# ....# .##.# #.#.# #.#.# .###.
      A .###. #...# #...# ##### #...# #...# #...#
      B ####. #...# #...# ####. #...# #...# ####.
      C .###. #...# #.... #.... #.... #...# .###.
      D ###.. #..#. #...# #...# #...# #..#. ###..
      E ##### #.... #.... ####. #.... #.... #####
      F ##### #.... #.... ####. #.... #.... #....
      G .###. #...# #.... #.### #...# #...# .####
      H #...# #...# #...# ##### #...# #...# #...#
      I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
      J ..### ...#. ...#. ...#. ...#. #..#. .##..
      K #...# #..#. #.#.. ##... #.#.. #..#. #...#
      L #.... #.... #.... #.... #.... #.... #####
      M #...# ##.## #.#.# #.#.# #...# #...# #...#
      N #...# #...# ##..# #.#.# #..## #...# #...#
      O .###. #...# #...# #...# #...# #...# .###.
      P ####. #...# #...# ####. #.... #.... #....
      Q .###. #...# #...# #...# #.#.# #..#. .##.#
      R ####. #...# #...# ####. #.#.. #..#. #...#
      S .#### #.... #.... .###. ....# ....# ####.
      T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
      U #...# #...# #...# #...# #...# #...# .###.
      V #...# #...# #...# #...# #...# .#.#. ..#..
      W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.
      X #...# #...# .#.#. ..#.. .#.#. #...# #...#
      Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..
      Z ##### ....# ...#. ..#.. .#... #.... #####
      [ .###. .#... .#... .#... .#... .#... .###.
      \\ ..... #.... .#... ..#.. ...#. ....# .....
      ] .###. ...#. ...#. ...#. ...#. ...#. .###.
      ^ ..#.. .#.#. #...# ..... ..... ..... .....
      _ ..... ..... ..... ..... ..... ..... ..... #####
      ` .#... ..#.. ..... ..... ..... ..... .....
      a ..... ..... .###. ....# .#### #...# .####
      b #.... #.... #.##. ##..# #...# #...# ####.
      c ..... ..... .###. #.... #.... #...# .###.
      d ....# ....# .##.# #..## #...# #...# .####
      e ..... ..... .###. #...# ##### #.... .###.
      f ..##. .#..# .#... ###.. .#... .#... .#...
      g ..... ..... .#### #...# #...# .#### ....# .###.
      h #.... #.... #.##. ##..# #...# #...# #...#
      i ..#.. ..... .##.. ..#.. ..#.. ..#.. .###.
      j ...#. ..... ..##. ...#. ...#. ...#. #..#. .##..
      k #.... #.... #..#. #.#.. ##... #.#.. #..#.
      l .##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.
      m ..... ..... ##.#. #.#.# #.#.# #.#.# #.#.#
      n ..... ..... #.##. ##..# #...# #...# #...#
      o ..... ..... .###. #...# #...# #...# .###.
      p ..... ..... ####. #...# #...# ####. #.... #....
      q ..... ..... .#### #...# #...# .#### ....# ....#
      r ..... ..... #.##. ##..# #.... #.... #....
      s ..... ..... .###. #.... .###. ....# ####.
      t .#... .#... ###.. .#... .#... .#..# ..##.
      u ..... ..... #...# #...# #...# #..## .##.#
      v ..... ..... #...# #...# #...# .#.#. ..#..
      w ..... ..... #...# #...# #.#.# #.#.# .#.#.
      x ..... ..... #...# .#.#. ..#.. .#.#. #...#
      y ..... ..... #...# #...# #...# .#### ....# .###.
      z ..... ..... ##### ...#. ..#.. .#... #####
      { ...#. ..#.. ..#.. .#... ..#.. ..#.. ...#.
      | ..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..
      } .#... ..#.. ..#.. ...#. ..#.. ..#.. .#...
      ~ ..... ..... .#... #.#.# ...#. ..... .....
      """);
  private static final boolean[][] BLANK = new boolean[HEIGHT][WIDTH];
  private static final boolean[][] BOX = parseRows("##### #...# #...# #...# #...# #...# #####".split(" "), 0);

  private BitmapFont() {}

  /** Width in image pixels of s at the given scale (no trailing gap). */
  static int width(String s, int scale) {
    return s.isEmpty() ? 0 : (s.length() * ADVANCE - 1) * scale;
  }

  /** Height of a line in image pixels, descender included. */
  static int height(int scale) {
    return HEIGHT * scale;
  }

  /** Draws s with its top-left corner at (x, y) in the graphics' current color and transform. */
  static void draw(Graphics2D g, String s, int x, int y, int scale) {
    for (int i = 0; i < s.length(); i++) {
      boolean[][] glyph = glyph(s.charAt(i));
      int gx = x + i * ADVANCE * scale;
      for (int r = 0; r < HEIGHT; r++) {
        for (int c = 0; c < WIDTH; c++) {
          if (glyph[r][c]) {
            g.fillRect(gx + c * scale, y + r * scale, scale, scale);
          }
        }
      }
    }
  }

  /** True when ch has a glyph of its own (not the box). */
  static boolean covers(char ch) {
    return ch == ' ' || GLYPHS.containsKey(ch);
  }

  private static boolean[][] glyph(char ch) {
    if (ch == ' ') {
      return BLANK;
    }
    return GLYPHS.getOrDefault(ch, BOX);
  }

  /** One glyph per line: the character, then its rows (top first) as '#' and '.' separated by spaces. */
  private static Map<Character, boolean[][]> parse(String table) {
    Map<Character, boolean[][]> out = new HashMap<>();
    for (String line : table.split("\n")) {
      String[] parts = line.trim().split(" ");
      out.put(parts[0].charAt(0), parseRows(parts, 1));
    }
    return out;
  }

  private static boolean[][] parseRows(String[] rows, int from) {
    boolean[][] g = new boolean[HEIGHT][WIDTH];
    for (int r = 0; r + from < rows.length; r++) {
      for (int c = 0; c < WIDTH; c++) {
        g[r][c] = rows[r + from].charAt(c) == '#';
      }
    }
    return g;
  }
}

package io.statex.bench;

import java.util.HashMap;
import java.util.Map;

/** A benchmark shape spelled as in the docs ("B8-T2048-H4-K256-V512"): letter -> size. */
final class Shape {
  private final Map<Character, Long> dims = new HashMap<>();
  private final String text;

  Shape(String text) {
    this.text = text;
    for (String part : text.split("-")) {
      dims.put(part.charAt(0), Long.parseLong(part.substring(1)));
    }
  }

  long get(char letter) {
    Long v = dims.get(letter);
    if (v == null) {
      throw new IllegalArgumentException("shape " + text + " has no dimension " + letter);
    }
    return v;
  }

  @Override
  public String toString() {
    return text;
  }
}

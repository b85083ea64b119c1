package io.statex.eval;

import java.util.Objects;

/** One named curve of a line chart: points (x[i], y[i]); a NaN y is a gap in the curve. */
public record Series(String name, double[] x, double[] y) {
  public Series {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + ": expected as many y as x values (" + x.length + "), found "
          + y.length);
    }
  }
}

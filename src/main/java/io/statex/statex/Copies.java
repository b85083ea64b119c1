package io.statex.statex;

import io.statex.nn.Parameter;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/** Bit-for-bit copies between a source and an expanded parameter, whole or by rows (dimension 0). */
final class Copies {
  private Copies() {}

  /** dst = src; the shapes must agree (same dtype: the copy is exact). */
  static void exact(Parameter dst, Parameter src, String name) {
    if (src == null) {
      throw new IllegalStateException("expand: the source model has no parameter " + name);
    }
    if (!Arrays.equals(dst.value().shapeRef(), src.value().shapeRef())) {
      throw new IllegalStateException("expand: " + name + " has shape " + Arrays.toString(src.value().shapeRef())
          + " in the source and " + Arrays.toString(dst.value().shapeRef()) + " in the expanded model");
    }
    dst.value().copyFrom(src.value());
  }

  /** dst rows [to, to + n) = src rows [from, from + n). */
  static void rows(Tensor dst, long to, Tensor src, long from, long n) {
    try (Tensor d = dst.slice(0, to, to + n);
        Tensor s = src.slice(0, from, from + n)) {
      d.copyFrom(s);
    }
  }

  /** dst rows [to, to + n) = 0. */
  static void zeroRows(Tensor dst, long to, long n) {
    try (Tensor d = dst.slice(0, to, to + n)) {
      d.fill(0);
    }
  }

  /** dst (length factor x src length along dimension 0) = [src; src; ...; src]. */
  static void tile(Tensor dst, Tensor src) {
    long n = src.size(0);
    if (dst.size(0) % n != 0) {
      throw new IllegalStateException("expand: cannot tile " + n + " rows into " + dst.size(0));
    }
    for (long at = 0; at < dst.size(0); at += n) {
      rows(dst, at, src, 0, n);
    }
  }
}

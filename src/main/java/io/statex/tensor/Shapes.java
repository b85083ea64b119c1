package io.statex.tensor;

import java.util.Arrays;

/** Shape arithmetic: element counts, row-major strides, broadcasting, axis normalisation. */
public final class Shapes {
  private Shapes() {}

  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  public static long[] contiguousStrides(long[] shape) {
    long[] s = new long[shape.length];
    long acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  public static boolean isContiguous(long[] shape, long[] strides) {
    long expect = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      if (shape[i] != 1 && strides[i] != expect) {
        return false;
      }
      expect *= shape[i];
    }
    return true;
  }

  public static void checkShape(String what, long[] shape) {
    if (shape == null) {
      throw new IllegalArgumentException(what + ": shape is null");
    }
    if (shape.length > 8) {
      throw new IllegalArgumentException(what + ": rank " + shape.length + " exceeds the maximum of 8");
    }
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException(what + ": negative dimension in shape " + Arrays.toString(shape));
      }
    }
  }

  /** The broadcast of two shapes (numpy rules), or IllegalArgumentException naming both. */
  public static long[] broadcast(long[] a, long[] b) {
    int n = Math.max(a.length, b.length);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      long da = i < n - a.length ? 1 : a[i - (n - a.length)];
      long db = i < n - b.length ? 1 : b[i - (n - b.length)];
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException(
            "shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Normalises a possibly negative axis for a tensor of rank ndim. */
  public static int axis(int axis, int ndim) {
    int a = axis < 0 ? axis + ndim : axis;
    if (a < 0 || a >= ndim) {
      throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + ndim);
    }
    return a;
  }

  public static String str(long[] shape) {
    return Arrays.toString(shape);
  }
}

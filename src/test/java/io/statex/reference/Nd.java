package io.statex.reference;

import io.statex.tensor.Shapes;

/** A float64 n-dimensional array (row-major) for the references. */
public record Nd(double[] data, long[] shape) {
  public static Nd of(double[] data, long... shape) {
    if (Shapes.numel(shape) != data.length) {
      throw new IllegalArgumentException("data length " + data.length + " != numel of shape");
    }
    return new Nd(data, shape);
  }

  public int size() {
    return data.length;
  }

  public long dim(int i) {
    return shape[i < 0 ? i + shape.length : i];
  }

  /** Value at the broadcast position of flat output index i of out shape. */
  public double broadcastAt(long[] out, long i) {
    long off = 0;
    long stride = 1;
    for (int d = out.length - 1; d >= 0; d--) {
      long idx = i % out[d];
      i /= out[d];
      int sd = d - (out.length - shape.length);
      if (sd >= 0) {
        if (shape[sd] != 1) {
          off += idx * stride;
        }
        stride *= shape[sd];
      }
    }
    return data[(int) off];
  }
}

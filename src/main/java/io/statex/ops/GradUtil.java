package io.statex.ops;

import io.statex.tensor.Tensor;
import java.util.Arrays;

/** Helpers the ops' backward passes share. */
final class GradUtil {
  private GradUtil() {}

  /**
   * g summed down to shape (the backward of broadcasting): leading axes g has beyond shape are
   * summed away, and so is every axis where shape has 1 and g does not. Returns a new tensor.
   */
  static Tensor sumTo(Tensor g, long[] shape) {
    if (Arrays.equals(g.shapeRef(), shape)) {
      return g.view();
    }
    Tensor cur = g.view();
    while (cur.ndim() > shape.length) {
      Tensor next = Reductions.sum(cur, 0, false);
      cur.close();
      cur = next;
    }
    for (int d = 0; d < shape.length; d++) {
      if (shape[d] == 1 && cur.size(d) != 1) {
        Tensor next = Reductions.sum(cur, d, true);
        cur.close();
        cur = next;
      }
    }
    return cur;
  }

  /** Row-major 2-D view [numel / last, last] of a tensor (copied when not contiguous). */
  static Tensor rows(Tensor t) {
    return t.reshape(-1, t.size(-1));
  }
}

package io.statex.reference;

/**
 * Float64 oracle of the embedding gather out[p, :] = table[idx[p], :] and of its backward, the
 * scatter-add dtable[idx[p], :] += dout[p, :] (repeated indices add up).
 */
public final class EmbeddingReference {
  private EmbeddingReference() {}

  public static double[] forward(double[] table, long[] idx, int dim) {
    double[] out = new double[idx.length * dim];
    for (int p = 0; p < idx.length; p++) {
      System.arraycopy(table, (int) idx[p] * dim, out, p * dim, dim);
    }
    return out;
  }

  /** dtable after the backward, starting from its value before (the kernels accumulate into it). */
  public static double[] backward(double[] dtableBefore, double[] dout, long[] idx, int dim) {
    double[] dtable = dtableBefore.clone();
    for (int p = 0; p < idx.length; p++) {
      for (int c = 0; c < dim; c++) {
        dtable[(int) idx[p] * dim + c] += dout[p * dim + c];
      }
    }
    return dtable;
  }
}

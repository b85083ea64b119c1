package io.statex.kernels;

import io.statex.backend.ReduceOp;
import io.statex.tensor.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * The one catalogue of awkward shapes for the base kernels, shared by the CPU and the GPU tests. Sizes
 * are chosen to cross every path of both implementations: n = 1; odd n (no vector loads); n a multiple of
 * the vector width; misaligned rows (scalar path with a vector-friendly n); n = 1024 and 1025 (the CUDA
 * kernels switch from a warp to a block per row there); n = 5000; inner > 1 below and above one 32-wide
 * column block; empty outer / inner / rows / positions.
 */
final class BaseKernelCases {
  private BaseKernelCases() {}

  static final DType[] FLOAT_TYPES = {DType.F32, DType.BF16};

  /** How a reduction's input is drawn. */
  enum Data {
    /** Normal(0, 1). */
    NORMAL,
    /** Integers in [-2, 2]: many exact ties, so the first-index rule of argmax shows. */
    TIES,
    /** Normal with NaN in some rows: NaN must win MAX and MIN, at its first position. */
    NAN
  }

  record ReduceCase(ReduceOp op, DType dtype, long outer, long n, long inner, Data data) {
    @Override
    public String toString() {
      return String.format("%s-%s-O%d-N%d-I%d-%s", op.name().toLowerCase(), dtype.name().toLowerCase(), outer, n, inner,
          data.name().toLowerCase());
    }
  }

  record RowCase(DType dtype, long rows, long n, boolean misaligned) {
    @Override
    public String toString() {
      return String.format("%s-R%d-N%d%s", dtype.name().toLowerCase(), rows, n, misaligned ? "-misaligned" : "");
    }
  }

  record EmbeddingCase(DType dtype, DType idxDtype, long n, long dim, long vocab) {
    @Override
    public String toString() {
      return String.format("%s-%s-P%d-D%d-V%d", dtype.name().toLowerCase(), idxDtype.name().toLowerCase(), n, dim, vocab);
    }
  }

  private static final long[][] REDUCE_SHAPES = {
    {1, 1, 1}, {3, 1, 5}, {5, 37, 1}, {2, 1000, 1}, {3, 1025, 1}, {1, 5000, 1}, {64, 128, 1}, {7, 33, 3},
    {2, 257, 40}, {3, 5, 70}, {0, 4, 3}, {4, 6, 0}
  };

  private static final long[][] ROW_SHAPES = {
    {1, 1}, {3, 1}, {0, 16}, {5, 7}, {4, 64}, {33, 100}, {2, 1024}, {3, 1025}, {2, 2048}, {1, 5000}, {7, 4999}
  };

  static List<ReduceCase> reduceCases() {
    List<ReduceCase> cases = new ArrayList<>();
    for (ReduceOp op : ReduceOp.values()) {
      for (DType dtype : FLOAT_TYPES) {
        for (long[] s : REDUCE_SHAPES) {
          cases.add(new ReduceCase(op, dtype, s[0], s[1], s[2], Data.NORMAL));
        }
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
          for (Data data : new Data[] {Data.TIES, Data.NAN}) {
            cases.add(new ReduceCase(op, dtype, 6, 300, 1, data));
            cases.add(new ReduceCase(op, dtype, 4, 1500, 1, data));
            cases.add(new ReduceCase(op, dtype, 3, 200, 37, data));
          }
        }
      }
    }
    return cases;
  }

  /** Rows of n for softmax and RMSNorm. */
  static List<RowCase> rowCases() {
    List<RowCase> cases = new ArrayList<>();
    for (DType dtype : FLOAT_TYPES) {
      for (long[] s : ROW_SHAPES) {
        cases.add(new RowCase(dtype, s[0], s[1], false));
      }
      cases.add(new RowCase(dtype, 6, 256, true));
      cases.add(new RowCase(dtype, 3, 3000, true));
    }
    return cases;
  }

  static List<EmbeddingCase> embeddingCases() {
    long[][] shapes = {{0, 8, 5}, {1, 1, 1}, {7, 3, 11}, {33, 12, 7}, {64, 128, 50}, {257, 96, 1000}, {40, 1030, 3}};
    List<EmbeddingCase> cases = new ArrayList<>();
    for (DType dtype : FLOAT_TYPES) {
      for (DType idx : new DType[] {DType.I32, DType.I64}) {
        for (long[] s : shapes) {
          cases.add(new EmbeddingCase(dtype, idx, s[0], s[1], s[2]));
        }
      }
    }
    return cases;
  }
}

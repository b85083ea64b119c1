package io.statex.ops;

import io.statex.tensor.DType;
import io.statex.testing.Seqs;
import java.util.ArrayList;
import java.util.List;

/** One case of the causal conv1d tests; lens (packed sequences, B = 1) may be null. */
record CausalConv1dCase(int B, int T, int C, int W, DType dtype, boolean bias, boolean silu, long[] lens) {
  int seqs() {
    return lens == null ? B : lens.length;
  }

  long[] offsets() {
    return Seqs.offsets(B, T, lens);
  }

  /** The longest accumulation behind an output: dweight and dbias sum over every token. */
  long accumulation() {
    return (long) B * T;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format("B%d-T%d-C%d-W%d-%s", B, T, C, W,
        dtype.name().toLowerCase(java.util.Locale.ROOT)));
    sb.append(Seqs.label(lens));
    return sb.append(bias ? "-bias" : "").append(silu ? "-silu" : "").toString();
  }

  static CausalConv1dCase varlen(long[] lens, int c, int w, DType dtype, boolean bias, boolean silu) {
    int t = Seqs.total(lens);
    return new CausalConv1dCase(1, t, c, w, dtype, bias, silu, lens);
  }

  static List<CausalConv1dCase> catalogue() {
    List<CausalConv1dCase> c = new ArrayList<>();
    for (int w = 2; w <= 4; w++) {
      c.add(new CausalConv1dCase(2, 37, 5, w, DType.F32, true, true, null));
      c.add(new CausalConv1dCase(1, 1, 3, w, DType.F32, false, false, null));
      c.add(new CausalConv1dCase(3, 65, 70, w, DType.BF16, w != 3, w != 2, null));
    }
    c.add(new CausalConv1dCase(1, 257, 129, 4, DType.F32, true, false, null));
    c.add(varlen(new long[] {5, 0, 1, 40, 3}, 9, 4, DType.F32, true, true));
    c.add(varlen(new long[] {100, 2, 31}, 66, 3, DType.BF16, false, true));
    return c;
  }

  /** F64 (CPU only): every width, with and without bias and SiLU, T = 1, a multi-block Ch, and packed sequences. */
  static List<CausalConv1dCase> f64() {
    List<CausalConv1dCase> c = new ArrayList<>();
    for (int w = 2; w <= 4; w++) {
      c.add(new CausalConv1dCase(2, 37, 5, w, DType.F64, w != 3, w != 2, null));
    }
    c.add(new CausalConv1dCase(1, 1, 3, 4, DType.F64, true, true, null));
    c.add(new CausalConv1dCase(1, 70, 130, 4, DType.F64, true, true, null));
    c.add(varlen(new long[] {5, 0, 1, 40, 3}, 9, 4, DType.F64, true, true));
    return c;
  }
}

package io.statex.ops;

import io.statex.tensor.DType;
import io.statex.testing.Seqs;
import java.util.ArrayList;
import java.util.List;

/**
 * One shape-and-options case of the SSD scan tests. lens (packed sequences, B = 1) may be null. The display name
 * spells every field, e.g. {@code B2-T257-H4-P8-N16-G2-Q128-bf16-dtf32-D-bias-sp-lim-h0-hT}.
 */
record SsdChunkCase(int B, int T, int H, int P, int N, int G, int Q, DType dtype, DType dtDtype, long[] lens, boolean D,
    boolean bias, boolean softplus, boolean limits, boolean init, boolean fin) {

  int seqs() {
    return lens == null ? B : lens.length;
  }

  long[] offsets() {
    return Seqs.offsets(B, T, lens);
  }

  /** The longest accumulation behind an output: every token of a row times max(P, N) and the heads of a group. */
  long accumulation() {
    return (long) T * Math.max(P, N) * (H / G);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(String.format("B%d-T%d-H%d-P%d-N%d-G%d-Q%d-%s-dt%s", B, T, H, P, N, G, Q,
        name(dtype), name(dtDtype)));
    sb.append(Seqs.label(lens));
    sb.append(D ? "-D" : "").append(bias ? "-bias" : "").append(softplus ? "-sp" : "").append(limits ? "-lim" : "");
    return sb.append(init ? "-h0" : "").append(fin ? "-hT" : "").toString();
  }

  private static String name(DType d) {
    return d.name().toLowerCase(java.util.Locale.ROOT);
  }

  static SsdChunkCase of(int b, int t, int h, int p, int n, int g, int q, DType dtype) {
    return new SsdChunkCase(b, t, h, p, n, g, q, dtype, DType.F32, null, true, true, true, false, true, true);
  }

  SsdChunkCase dtDtype(DType d) {
    return new SsdChunkCase(B, T, H, P, N, G, Q, dtype, d, lens, D, bias, softplus, limits, init, fin);
  }

  SsdChunkCase options(boolean d, boolean b, boolean sp, boolean lim, boolean h0, boolean hT) {
    return new SsdChunkCase(B, T, H, P, N, G, Q, dtype, dtDtype, lens, d, b, sp, lim, h0, hT);
  }

  static SsdChunkCase varlen(long[] lens, int h, int p, int n, int g, int q, DType dtype) {
    return new SsdChunkCase(1, Seqs.total(lens), h, p, n, g, q, dtype, DType.F32, lens, true, true, true, false, true,
        true);
  }

  /** The catalogue both backends run: awkward T around the chunk, P != N, G > 1, N = 512, varlen, every option. */
  static List<SsdChunkCase> catalogue() {
    DType f = DType.F32, bf = DType.BF16;
    List<SsdChunkCase> c = new ArrayList<>();
    c.add(of(1, 1, 1, 4, 16, 1, 64, f));
    c.add(of(2, 255, 2, 8, 16, 1, 256, f));
    c.add(of(1, 256, 3, 5, 7, 1, 256, f).options(false, false, true, false, false, false));
    c.add(of(3, 257, 4, 8, 16, 2, 128, f).options(true, false, true, true, true, false));
    c.add(of(1, 1000, 2, 4, 8, 1, 64, f));
    c.add(of(1, 1000, 2, 4, 8, 2, 256, bf));
    c.add(of(2, 100, 2, 8, 512, 1, 64, f).options(true, true, true, false, false, true));
    c.add(of(1, 300, 4, 6, 10, 4, 128, bf).dtDtype(bf).options(true, true, true, true, true, true));
    c.add(of(2, 130, 2, 8, 12, 1, 64, f).options(false, true, false, false, true, true));
    c.add(of(1, 200, 1, 16, 32, 1, 128, bf).options(false, false, false, true, false, true));
    c.add(varlen(new long[] {37, 0, 200, 1, 63}, 2, 8, 16, 1, 64, f));
    c.add(varlen(new long[] {129, 64, 300}, 4, 4, 8, 2, 128, bf));
    return c;
  }

  /** F64 (CPU only, small sizes): T around the chunk, G > 1, dt in F64 and in F32, every option, varlen. */
  static List<SsdChunkCase> f64() {
    DType d = DType.F64;
    List<SsdChunkCase> c = new ArrayList<>();
    c.add(of(1, 1, 1, 4, 16, 1, 64, d).dtDtype(d));
    c.add(of(2, 65, 2, 4, 8, 1, 64, d).dtDtype(d));
    c.add(of(1, 130, 4, 3, 5, 2, 64, d).dtDtype(d).options(true, true, true, true, true, true));
    c.add(of(2, 70, 2, 4, 6, 1, 128, d).options(false, true, false, false, true, true));
    c.add(varlen(new long[] {37, 0, 70, 1}, 2, 4, 8, 1, 64, d).dtDtype(d));
    return c;
  }
}

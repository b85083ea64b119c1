package io.statex.ops;

import io.statex.testing.Tolerance;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One shape of the GLA test catalogue: sizes, packed sequence lengths (or dense), dtypes, optional
 * states, gate strength and seed. {@link #toString()} spells the case, e.g.
 * {@code B3-T63-H2-K48-V80-bf16-h0-hT-strong}.
 */
public record GlaCase(int B, int T, int H, int K, int V, int[] lengths, int dtype, int gDtype, boolean h0,
    boolean hT, Gate gate, long seed) {

  /** Log-decay g = logsigmoid(u) / normalizer: weak is the layer's (/16), strong is fla's test (/0.1). */
  public enum Gate {
    WEAK, STRONG, MIXED
  }

  public static GlaCase of(int B, int T, int H, int K, int V) {
    return new GlaCase(B, T, H, K, V, null, Tolerance.F32, Tolerance.F32, false, false, Gate.WEAK, 1);
  }

  /** B = 1 and the sequences packed along T with these lengths (cu_seqlens). */
  public static GlaCase packed(int H, int K, int V, int... lengths) {
    return new GlaCase(1, Arrays.stream(lengths).sum(), H, K, V, lengths, Tolerance.F32, Tolerance.F32, false, false,
        Gate.WEAK, 1);
  }

  public GlaCase bf16() {
    return new GlaCase(B, T, H, K, V, lengths, Tolerance.BF16, Tolerance.BF16, h0, hT, gate, seed);
  }

  /** BF16 inputs with the gate kept in F32. */
  public GlaCase bf16GateF32() {
    return new GlaCase(B, T, H, K, V, lengths, Tolerance.BF16, Tolerance.F32, h0, hT, gate, seed);
  }

  public GlaCase withStates() {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, true, true, gate, seed);
  }

  public GlaCase withH0() {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, true, hT, gate, seed);
  }

  public GlaCase withHT() {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, h0, true, gate, seed);
  }

  public GlaCase gate(Gate g) {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, h0, hT, g, seed);
  }

  public GlaCase seed(long s) {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, h0, hT, gate, s);
  }

  public int N() {
    return lengths == null ? B : lengths.length;
  }

  public boolean varlen() {
    return lengths != null;
  }

  /** cu_seqlens [N + 1], or null when dense. */
  public long[] cuSeqlens() {
    if (lengths == null) {
      return null;
    }
    long[] cu = new long[lengths.length + 1];
    for (int i = 0; i < lengths.length; i++) cu[i + 1] = cu[i] + lengths[i];
    return cu;
  }

  public double scale() {
    return 1 / Math.sqrt(K);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(varlen() ? "N" + N() : "B" + B).append("-T").append(T).append("-H").append(H).append("-K").append(K)
        .append("-V").append(V).append(dtype == Tolerance.F32 ? "-f32" : "-bf16");
    if (gDtype != dtype) {
      s.append("-gf32");
    }
    if (h0) {
      s.append("-h0");
    }
    if (hT) {
      s.append("-hT");
    }
    s.append('-').append(gate.name().toLowerCase());
    if (varlen()) {
      s.append("-lens").append(Arrays.stream(lengths).mapToObj(Integer::toString).collect(Collectors.joining(".")));
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GlaCase c && toString().equals(c.toString()) && seed == c.seed;
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}

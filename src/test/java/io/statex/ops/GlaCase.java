package io.statex.ops;

import io.statex.tensor.DType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One shape of the GLA test catalogue: sizes, packed sequence lengths (or dense), dtypes, optional
 * states and gate strength. {@link #toString()} spells the case, e.g.
 * {@code B3-T63-H2-K48-V80-bf16-h0-hT-strong}; the random values come from a fresh seed per run
 * ({@link io.statex.testing.Seeds}).
 */
public record GlaCase(int B, int T, int H, int K, int V, int[] lengths, DType dtype, DType gDtype, boolean h0,
    boolean hT, Gate gate) {

  /** Log-decay g = logsigmoid(u) / normalizer: weak is the layer's (/16), strong is fla's test (/0.1). */
  public enum Gate {
    WEAK, STRONG, MIXED
  }

  public static GlaCase of(int B, int T, int H, int K, int V) {
    return new GlaCase(B, T, H, K, V, null, DType.F32, DType.F32, false, false, Gate.WEAK);
  }

  /** B = 1 and the sequences packed along T with these lengths (cu_seqlens). */
  public static GlaCase packed(int H, int K, int V, int... lengths) {
    return new GlaCase(1, Arrays.stream(lengths).sum(), H, K, V, lengths, DType.F32, DType.F32, false, false,
        Gate.WEAK);
  }

  public GlaCase bf16() {
    return new GlaCase(B, T, H, K, V, lengths, DType.BF16, DType.BF16, h0, hT, gate);
  }

  /** F64 inputs and gate (CPU only); the states are then F64 too. */
  public GlaCase f64() {
    return new GlaCase(B, T, H, K, V, lengths, DType.F64, DType.F64, h0, hT, gate);
  }

  /** BF16 inputs with the gate kept in F32. */
  public GlaCase bf16GateF32() {
    return new GlaCase(B, T, H, K, V, lengths, DType.BF16, DType.F32, h0, hT, gate);
  }

  public GlaCase withStates() {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, true, true, gate);
  }

  public GlaCase withH0() {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, true, hT, gate);
  }

  public GlaCase withHT() {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, h0, true, gate);
  }

  public GlaCase gate(Gate g) {
    return new GlaCase(B, T, H, K, V, lengths, dtype, gDtype, h0, hT, g);
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

  /** The longest accumulation behind an output: every token of the longest sequence times max(K, V). */
  public long accumulation() {
    long longest = lengths == null ? T : Arrays.stream(lengths).max().orElse(0);
    return Math.max(1, longest) * Math.max(K, V);
  }

  public double scale() {
    return 1 / Math.sqrt(K);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append(varlen() ? "N" + N() : "B" + B).append("-T").append(T).append("-H").append(H).append("-K").append(K)
        .append("-V").append(V).append('-').append(dtype.name().toLowerCase(java.util.Locale.ROOT));
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
}

package io.statex.train;

import io.statex.tensor.DType;

/**
 * How training stores and computes: {@code FP32} everywhere; {@code BF16_MIXED} fp32 master weights
 * and moments, bf16 activations and GEMMs (weights cast on use), fp32 residual stream;
 * {@code BF16_PURE} (as the StateX paper trained) weights stored in bf16 too, updated in fp32 and
 * rounded once per step, moments fp32.
 */
public enum Precision {
  FP32(DType.F32, DType.F32),
  BF16_MIXED(DType.F32, DType.BF16),
  BF16_PURE(DType.BF16, DType.BF16);

  private final DType weights;
  private final DType compute;

  Precision(DType weights, DType compute) {
    this.weights = weights;
    this.compute = compute;
  }

  public DType weights() {
    return weights;
  }

  public DType compute() {
    return compute;
  }

  /** Parses fp32, bf16 (mixed) or bf16-pure. */
  public static Precision parse(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "fp32":
      case "f32":
        return FP32;
      case "bf16":
      case "bf16-mixed":
        return BF16_MIXED;
      case "bf16-pure":
        return BF16_PURE;
      default:
        throw new IllegalArgumentException("unknown precision '" + s + "' (expected fp32, bf16 or bf16-pure)");
    }
  }
}

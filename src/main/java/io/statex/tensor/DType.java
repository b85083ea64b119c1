package io.statex.tensor;

/**
 * Element types. {@link #code()} is the value of the C ABI's {@code statex_dtype}.
 *
 * <p>F64 lives on the CPU only: it exists so that gradient checks and references can run the whole
 * engine in double. CUDA tensors of F64 cannot be made (IllegalArgumentException).
 */
public enum DType {
  F32(0, 4),
  BF16(1, 2),
  I32(2, 4),
  I64(3, 8),
  F64(4, 8);

  private final int code;
  private final int size;

  DType(int code, int size) {
    this.code = code;
    this.size = size;
  }

  /** The C ABI code ({@code STATEX_F32} ...). */
  public int code() {
    return code;
  }

  /** Bytes per element. */
  public int size() {
    return size;
  }

  public boolean isFloat() {
    return this == F32 || this == BF16 || this == F64;
  }

  /**
   * The dtype of the side tensors that go with data of this float dtype (states, statistics such as
   * RMSNorm's rstd, parameters of the fused kernels, accumulated gradients): F64 for F64 data, so that
   * a double computation is never rounded to fp32, and F32 for F32 and BF16 data.
   */
  public DType wide() {
    if (!isFloat()) {
      throw new IllegalArgumentException(this + " is not a float dtype; only F32, BF16 and F64 have a wide dtype");
    }
    return this == F64 ? F64 : F32;
  }

  public static DType fromCode(int code) {
    for (DType d : values()) {
      if (d.code == code) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype code " + code);
  }

  /** Parses "f32", "bf16", "f64", "i32", "i64" (any case; "float32", "bfloat16", "float64", "double" too). */
  public static DType parse(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "f32":
      case "float32":
      case "fp32":
        return F32;
      case "bf16":
      case "bfloat16":
        return BF16;
      case "f64":
      case "float64":
      case "fp64":
      case "double":
        return F64;
      case "i32":
      case "int32":
        return I32;
      case "i64":
      case "int64":
        return I64;
      default:
        throw new IllegalArgumentException("unknown dtype '" + name + "' (expected f32, bf16, f64, i32 or i64)");
    }
  }
}

package io.statex.tensor;

/** Element types. {@link #code()} is the value of the C ABI's {@code statex_dtype}. */
public enum DType {
  F32(0, 4),
  BF16(1, 2),
  I32(2, 4),
  I64(3, 8);

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
    return this == F32 || this == BF16;
  }

  public static DType fromCode(int code) {
    for (DType d : values()) {
      if (d.code == code) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype code " + code);
  }

  /** Parses "f32", "bf16", "i32", "i64" (any case; "float32"/"bfloat16" too). */
  public static DType parse(String name) {
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "f32":
      case "float32":
      case "fp32":
        return F32;
      case "bf16":
      case "bfloat16":
        return BF16;
      case "i32":
      case "int32":
        return I32;
      case "i64":
      case "int64":
        return I64;
      default:
        throw new IllegalArgumentException("unknown dtype '" + name + "' (expected f32, bf16, i32 or i64)");
    }
  }
}

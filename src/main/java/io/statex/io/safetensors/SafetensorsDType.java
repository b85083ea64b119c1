package io.statex.io.safetensors;

import io.statex.tensor.DType;

/**
 * The element types a safetensors header may name, spelled as in the header. Declared in the
 * reference implementation's order, which is by increasing alignment: its writer lays tensors out
 * by descending rank in this order (then by name), and so does ours. Every type here is recognised
 * in a header; {@link #loadsAs()} says which ones can become a tensor of ours.
 */
public enum SafetensorsDType {
  BOOL(8, Kind.INTEGER),
  F4(4, Kind.OTHER),
  F6_E2M3(6, Kind.OTHER),
  F6_E3M2(6, Kind.OTHER),
  U8(8, Kind.INTEGER),
  I8(8, Kind.INTEGER),
  F8_E5M2(8, Kind.FLOAT),
  F8_E4M3(8, Kind.FLOAT),
  F8_E8M0(8, Kind.OTHER),
  F8_E4M3FNUZ(8, Kind.OTHER),
  F8_E5M2FNUZ(8, Kind.OTHER),
  I16(16, Kind.INTEGER),
  U16(16, Kind.INTEGER),
  F16(16, Kind.FLOAT),
  BF16(16, Kind.FLOAT),
  I32(32, Kind.INTEGER),
  U32(32, Kind.INTEGER),
  F32(32, Kind.FLOAT),
  C64(64, Kind.OTHER),
  F64(64, Kind.FLOAT),
  I64(64, Kind.INTEGER),
  U64(64, Kind.INTEGER);

  /** What a type can be loaded as: floats as F32/BF16, integers as I32/I64, the rest not at all. */
  public enum Kind {
    FLOAT,
    INTEGER,
    OTHER
  }

  private final int bits;
  private final Kind kind;

  SafetensorsDType(int bits, Kind kind) {
    this.bits = bits;
    this.kind = kind;
  }

  /** Bits per element (sub-byte types exist: F4, F6_*). */
  public int bits() {
    return bits;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The dtype {@link SafetensorsFile#load} gives: F32, BF16, I32 and I64 as they are; F16, F64 and
   * the two OCP FP8 types as F32; BOOL, U8, I8, I16, U16 and U32 as I32; U64 as I64. Null for the
   * types no tensor of ours holds (F4, F6_*, F8_E8M0, the FNUZ FP8 variants, C64).
   */
  public DType loadsAs() {
    switch (this) {
      case BF16:
        return DType.BF16;
      case I64:
      case U64:
        return DType.I64;
      default:
        return kind == Kind.FLOAT ? DType.F32 : kind == Kind.INTEGER ? DType.I32 : null;
    }
  }

  /** The header name of one of our dtypes. */
  public static SafetensorsDType of(DType dtype) {
    switch (dtype) {
      case F32:
        return F32;
      case BF16:
        return BF16;
      case I32:
        return I32;
      case I64:
        return I64;
      default:
        throw new IllegalArgumentException("dtype " + dtype + " has no safetensors name");
    }
  }

  /** The type a header names (exact spelling), or null when the name is not one of the above. */
  public static SafetensorsDType byName(String name) {
    for (SafetensorsDType d : values()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }
}

package io.statex.cli;

import io.statex.tensor.DType;
import java.util.Locale;

/** The parameter dtype options take: f32 (fp32, float32) or bf16 (bfloat16). */
final class WeightDType {
  private WeightDType() {}

  static DType parse(String option, String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "f32", "fp32", "float32" -> {
        return DType.F32;
      }
      case "bf16", "bfloat16" -> {
        return DType.BF16;
      }
      default -> throw new IllegalArgumentException(option + ": expected f32 or bf16, got '" + value + "'");
    }
  }
}

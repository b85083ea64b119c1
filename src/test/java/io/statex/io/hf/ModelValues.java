package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.statex.nn.LanguageModel;
import io.statex.nn.Parameter;
import io.statex.testing.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;

/** A model's parameters as host arrays by name, and their bit-for-bit comparison. */
public final class ModelValues {
  private ModelValues() {}

  public static Map<String, float[]> of(LanguageModel m) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
      out.put(e.getKey(), e.getValue().value().toFloatArray());
    }
    return out;
  }

  public static void assertSame(Map<String, float[]> want, Map<String, float[]> got) {
    assertEquals(want.keySet(), got.keySet());
    want.forEach((k, v) -> assertArrayEquals(v, got.get(k), k + " (" + Seeds.describe() + ")"));
  }
}

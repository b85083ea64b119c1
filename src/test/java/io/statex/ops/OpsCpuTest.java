package io.statex.ops;

import io.statex.tensor.Device;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every catalogue op on the CPU against its float64 reference. */
class OpsCpuTest {
  static Stream<OpCase> cases() {
    return OpCatalogue.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesFloat64Reference(OpCase c) {
    OpChecker.check(c, Device.CPU);
  }
}

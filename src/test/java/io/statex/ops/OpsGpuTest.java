package io.statex.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statex.jni.CudaProbe;
import io.statex.tensor.Device;
import io.statex.testing.Compare;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalogue op on CUDA against the float64 reference, and against the CPU's result. F64 cases are
 * CPU-only ({@link OpCase#cpuOnly}); the CUDA rejection of F64 is F64GpuTest's.
 */
@Tag("gpu")
class OpsGpuTest {
  static Stream<OpCase> cases() {
    return OpCatalogue.all().stream().filter(c -> !c.cpuOnly());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesFloat64ReferenceAndCpu(OpCase c) {
    assumeTrue(CudaProbe.probe().usable(), () -> "no CUDA device: " + CudaProbe.probe().reason());
    List<double[]> gpu = OpChecker.check(c, Device.cuda(0));
    List<double[]> cpu = OpChecker.check(c, Device.CPU);
    for (int i = 0; i < gpu.size(); i++) {
      // Both passed the reference; the two devices must also agree with each other within the dtype's tolerance.
      Compare.assertClose(c.displayName() + ": CUDA vs CPU, output " + i, cpu.get(i), gpu.get(i), c.outDType());
    }
  }
}

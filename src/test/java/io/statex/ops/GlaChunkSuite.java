package io.statex.ops;

import io.statex.reference.GlaReference;
import io.statex.tensor.Device;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The comparisons every GLA implementation passes on its device: forward (o, hT) and backward (dq,
 * dk, dv, dg, dh0) against the float64 reference on the catalogue, every output poisoned before the
 * call, and a chunked prefill followed by decode steps against one chunked pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GlaChunkSuite {
  abstract Device device();

  abstract List<GlaCase> cases();

  List<GlaCase> decodeCases() {
    return GlaCatalogue.decode();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardMatchesReference(GlaCase c) {
    GlaData d = GlaData.of(c);
    GlaChecks.forward(device() + " gla_chunk forward", d, GlaRunner.forward(d, device()), d.reference());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void backwardMatchesReference(GlaCase c) {
    GlaData d = GlaData.of(c);
    GlaChecks.backward(device() + " gla_chunk backward", d, GlaRunner.backward(d, device()), d.referenceGrads());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeEqualsOneChunkedPass(GlaCase c) {
    GlaData d = GlaData.of(c);
    GlaReference.Outputs split = GlaChecks.prefillThenDecode(d, Math.max(1, c.T() - 5), device());
    GlaChecks.forward(device() + " prefill+decode vs reference", d, split, d.reference());
    GlaChecks.forward(device() + " prefill+decode vs one chunked pass", d, split, GlaRunner.forward(d, device()));
  }
}

package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cost formulas against the worked Mamba2-1.3B layer numbers of research/kernels.md F.3. */
class SsdCostTest {
  @Test
  void mamba2LayerForwardMinimumBytesMatchTheResearchTable() {
    // B8 T2048 H64 P64 N128 G1, bf16 activations and dt, no states: 279 MB in F.3.
    assertEquals(279e6, SsdCost.forwardBytesMin(8, 2048, 64, 64, 128, 1, 2, 2, 8, false, false), 0.5e6);
  }

  @Test
  void implementedCountsAreAtLeastTheMinimum() {
    for (long q : new long[] {64, 128, 256}) {
      double min = SsdCost.forwardFlopsMin(8, 2048, 64, 64, 128, 1, q);
      double impl = SsdCost.forwardFlops(8, 2048, 64, 64, 128, 1, q);
      assertTrue(impl >= min && impl < 1.5 * min, () -> "Q" + q + ": " + impl + " vs " + min);
      assertTrue(SsdCost.backwardFlops(8, 2048, 64, 64, 128, 1, q) > 2 * impl);
    }
    assertTrue(Conv1dCost.backwardFlops(1, 10, 8, 4, true) > Conv1dCost.forwardFlops(1, 10, 8, 4, true));
  }
}

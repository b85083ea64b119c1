package io.statex.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.statex.jni.CudaProbe;
import io.statex.tensor.Device;
import org.junit.jupiter.api.Test;

/** Probing never throws; without a GPU the CPU is chosen and an explicit CUDA request says why not. */
class BackendSelectionTest {

  @Test
  void probeNeverThrowsAndGivesAReason() {
    CudaProbe.Result r = CudaProbe.probe();
    assertFalse(r.reason().isBlank());
  }

  @Test
  void withoutGpuTheCpuIsChosenAndCudaRequestsFailClearly() {
    assumeFalse(CudaProbe.probe().usable(), "a GPU is present");
    Backends.Selection s = Backends.select(null);
    assertEquals(Device.CPU, s.device());
    assertTrue(s.reason().contains("CUDA not usable"), s.reason());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("cuda"));
    assertTrue(e.getMessage().contains("CUDA is not usable"), e.getMessage());
    assertEquals(Device.CPU, Backends.select("cpu").device());
  }
}

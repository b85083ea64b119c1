package io.statex.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statex.jni.CudaProbe;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CUDA runtime pieces: transfers, the caching allocator, the generator, device selection. */
@Tag("gpu")
class CudaRuntimeGpuTest {
  private static final Device GPU = Device.cuda(0);

  @BeforeEach
  void needsGpu() {
    assumeTrue(CudaProbe.probe().usable(), () -> "no CUDA device: " + CudaProbe.probe().reason());
  }

  @Test
  void hostDeviceRoundTripsEveryDType() {
    try (TensorScope s = TensorScope.open()) {
      float[] f = {1.5f, -2.25f, 3e-3f, 7f};
      assertArrayEquals(f, Tensor.of(f, 2, 2).to(GPU).toFloatArray());
      long[] l = {-1, 1L << 42, 5};
      assertArrayEquals(l, Tensor.ofLongs(l, 3).to(GPU).toLongArray());
      int[] i = {9, -9};
      assertArrayEquals(i, Tensor.ofInts(i, 2).to(GPU).toIntArray());
      Tensor bf = Tensor.of(f, 4).to(DType.BF16);
      assertArrayEquals(bf.toFloatArray(), bf.to(GPU).toFloatArray());
    }
  }

  @Test
  void generatorDrawsTheSameValuesOnCpuAndCuda() {
    try (TensorScope s = TensorScope.open()) {
      for (DType d : new DType[] {DType.F32, DType.BF16}) {
        float[] cpuU = Tensor.uniform(d, Device.CPU, 11, -1, 1, 100_001).toFloatArray();
        float[] gpuU = Tensor.uniform(d, GPU, 11, -1, 1, 100_001).toFloatArray();
        assertArrayEquals(cpuU, gpuU, "uniform " + d + " must be bit-identical");
        float[] cpuN = Tensor.normal(d, Device.CPU, 12, 0, 1, 100_001).toFloatArray();
        float[] gpuN = Tensor.normal(d, GPU, 12, 0, 1, 100_001).toFloatArray();
        int differ = 0;
        for (int k = 0; k < cpuN.length; k++) {
          if (cpuN[k] != gpuN[k]) {
            differ++;
            assertEquals(cpuN[k], gpuN[k], Math.ulp(cpuN[k]) * (d == DType.BF16 ? 256 : 1), "normal element " + k);
          }
        }
        assertTrue(differ <= cpuN.length / 1000, differ + " normal values differ by one ulp (libm rounding); expected almost none");
      }
    }
  }

  @Test
  void allocatorReusesCachedBlocksAndReportsStats() {
    CudaAllocator alloc = Backends.cuda(0).allocator();
    Backends.cuda(0).synchronize();
    alloc.resetPeaks();
    AllocatorStats before = alloc.stats();
    for (int k = 0; k < 10; k++) {
      try (Tensor t = Tensor.empty(DType.F32, GPU, 1024, 1024)) {
        t.fill(k);
      }
    }
    AllocatorStats after = alloc.stats();
    assertTrue(after.cacheHits() - before.cacheHits() >= 9, "9 of 10 same-size allocations must come from the cache: " + after);
    assertEquals(before.allocatedBytes(), after.allocatedBytes(), "everything was closed");
    assertTrue(after.peakAllocatedBytes() >= 4L << 20, after.toString());
  }

  @Test
  void outOfMemoryIsAClearErrorAndTheDeviceStaysUsable() {
    DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
        () -> Tensor.empty(DType.F32, GPU, 1L << 45));
    assertTrue(e.getMessage().contains("out of memory") && e.getMessage().contains("allocator"), e.getMessage());
    try (Tensor t = Tensor.full(DType.F32, GPU, 3, 4)) {
      assertArrayEquals(new float[] {3, 3, 3, 3}, t.toFloatArray());
    }
  }

  @Test
  void explicitDeviceSelectionWorks() {
    assertEquals(GPU, Backends.select("cuda:0").device());
    assertEquals(Device.CPU, Backends.select("cpu").device());
    assertThrows(IllegalArgumentException.class, () -> Backends.select("cuda:" + CudaProbe.probe().deviceCount()));
    Backends.select(null);
  }

  @Test
  void largeGemmMatchesCpu() {
    try (TensorScope s = TensorScope.open()) {
      Tensor a = Tensor.normal(DType.F32, Device.CPU, 1, 0, 1, 300, 257);
      Tensor b = Tensor.normal(DType.F32, Device.CPU, 2, 0, 1, 257, 129);
      double[] ref = io.statex.ops.MatMul.matmul(a, b).toDoubleArray();
      double[] gpu = io.statex.ops.MatMul.matmul(a.to(GPU), b.to(GPU)).toDoubleArray();
      io.statex.testing.Compare.assertClose("gemm 300x257x129 CUDA vs CPU", ref, gpu, DType.F32);
    }
  }
}

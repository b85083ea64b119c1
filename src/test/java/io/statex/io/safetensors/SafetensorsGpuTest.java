package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statex.jni.CudaProbe;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors on a CUDA device are written through the host and load back onto the device. */
@Tag("gpu")
class SafetensorsGpuTest {
  private static final Device GPU = Device.cuda(0);

  @TempDir Path dir;

  @BeforeEach
  void needsGpu() {
    assumeTrue(CudaProbe.probe().usable(), () -> "no CUDA device: " + CudaProbe.probe().reason());
  }

  @Test
  void deviceTensorsRoundTripThroughFiles() throws IOException {
    long seed = Seeds.fresh("deviceTensorsRoundTripThroughFiles");
    try (TensorScope scope = TensorScope.open()) {
      Map<String, Tensor> host = SafetensorsRoundTripTest.randomTensors(new Random(seed));
      Path fromHost = dir.resolve("host.safetensors");
      Path fromDevice = dir.resolve("device.safetensors");
      SafetensorsWriter h = new SafetensorsWriter();
      SafetensorsWriter d = new SafetensorsWriter();
      host.forEach((name, t) -> {
        h.put(name, t);
        d.put(name, t.to(GPU));
      });
      Tensor wide = Tensor.uniform(DType.F32, GPU, seed, -1, 1, 6, 9);
      h.put("view", wide.transpose(0, 1).to(Device.CPU));
      d.put("view", wide.transpose(0, 1)); // non-contiguous on the device
      h.write(fromHost);
      d.write(fromDevice);
      assertArrayEquals(Files.readAllBytes(fromHost), Files.readAllBytes(fromDevice), Seeds.describe());
      try (SafetensorsFile f = SafetensorsFile.open(fromDevice)) {
        for (String name : f.names()) {
          Tensor onDevice = f.load(name, GPU);
          assertEquals(GPU, onDevice.device());
          SafetensorsRoundTripTest.assertSameBits(name + " " + Seeds.describe(), f.load(name, Device.CPU), onDevice);
          if (onDevice.dtype().isFloat()) {
            DType other = onDevice.dtype() == DType.F32 ? DType.BF16 : DType.F32;
            SafetensorsRoundTripTest.assertSameBits(name + " as " + other, f.loadAs(name, other, Device.CPU), f.loadAs(name, other, GPU));
          }
        }
      }
    }
  }
}

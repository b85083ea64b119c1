package io.statex.kernels;

import io.statex.jni.CudaProbe;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that needs a CUDA device: tagged "gpu" (excluded from the build's CPU test run) and,
 * where CUDA is not usable, skipped as a whole with the probe's reason.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("gpu")
@ExtendWith(GpuTest.RequireGpu.class)
@interface GpuTest {
  final class RequireGpu implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      CudaProbe.Result probe = CudaProbe.probe();
      Assumptions.assumeTrue(probe.usable(), () -> "CUDA is not usable here: " + probe.reason());
    }
  }
}

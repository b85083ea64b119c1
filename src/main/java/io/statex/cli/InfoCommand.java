package io.statex.cli;

import io.statex.backend.Backends;
import io.statex.backend.CudaBackend;
import io.statex.jni.CpuNative;
import io.statex.jni.CudaNative;
import io.statex.jni.CudaProbe;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bytedeco.javacpp.Loader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code statex info}: everything needed to debug a host: Java and glibc versions, the CUDA driver,
 * runtime, cuBLAS and NCCL versions, GPUs, the backend chosen and why, the native libraries loaded,
 * and the full cause chain of any load failure. Never fails because something is missing: it says so.
 */
@Command(name = "info", description = "Report the runtime environment, devices and the chosen backend.")
public final class InfoCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    report(System.out, device);
    return 0;
  }

  /** Prints the report; returns the device selection, or null when the requested device is unusable. */
  static Backends.Selection report(PrintStream out, DeviceOption device) {
    out.println("statex " + Version.get());
    out.printf("java      %s (%s), %s%n", System.getProperty("java.version"), System.getProperty("java.vendor"), System.getProperty("java.home"));
    out.printf("os        %s %s %s%n", System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
    out.printf("platform  %s%n", Loader.getPlatform());
    try {
      out.printf("glibc     %s%n", CpuNative.statex_cpu_libc_version());
      out.printf("cpu       libstatex ABI %d, %d threads%n", CpuNative.statex_cpu_abi_version(), CpuNative.statex_cpu_num_threads());
    } catch (Throwable t) {
      out.println("cpu       libstatex could not be loaded");
      causes(out, t);
    }
    cuda(out);
    Backends.Selection s = null;
    try {
      s = device.select();
      out.printf("backend   %s (%s)%n", s.device(), s.reason());
      out.printf("          %s%n", Backends.forDevice(s.device()).describe());
    } catch (RuntimeException e) {
      out.printf("backend   the requested device cannot be used: %s%n", e.getMessage());
      causes(out, e.getCause());
    }
    out.println("native libraries loaded:");
    for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
      out.printf("  %-28s %s%n", e.getKey(), e.getValue());
    }
    return s;
  }

  private static void cuda(PrintStream out) {
    CudaProbe.Result probe = CudaProbe.probe();
    out.printf("cuda      %s%n", probe.reason());
    causes(out, probe.cause());
    if (!probe.libraryLoaded()) {
      return;
    }
    int[] v = new int[1];
    if (CudaNative.statex_cuda_driver_version(v) == 0) {
      out.printf("          driver API %s%n", v[0] == 0 ? "none (no NVIDIA driver)" : cudaVersion(v[0]));
    }
    if (CudaNative.statex_cuda_runtime_version(v) == 0) {
      out.printf("          runtime %s (libstatex_cuda ABI %d)%n", cudaVersion(v[0]), CudaNative.statex_cuda_abi_version());
    }
    if (!probe.usable()) {
      return;
    }
    for (int i = 0; i < probe.deviceCount(); i++) {
      try {
        CudaBackend b = Backends.cuda(i);
        out.printf("gpu %d     %s, %.1f GiB, %d SMs, compute capability %s%n", i, b.deviceName(), b.totalMemory() / 1073741824.0,
            b.smCount(), b.computeCapability());
      } catch (RuntimeException e) {
        out.printf("gpu %d     unusable: %s%n", i, e.getMessage());
      }
    }
    try {
      int c = Backends.cublasVersion();
      out.printf("cublas    %d.%d.%d%n", c / 10000, c / 100 % 100, c % 100);
    } catch (Throwable t) {
      out.println("cublas    could not be loaded");
      causes(out, t);
    }
    try {
      int[] nv = new int[1];
      org.bytedeco.cuda.global.nccl.ncclGetVersion(nv);
      out.printf("nccl      %d.%d.%d%n", nv[0] / 10000, nv[0] / 100 % 100, nv[0] % 100);
    } catch (Throwable t) {
      out.println("nccl      could not be loaded");
      causes(out, t);
    }
  }

  private static String cudaVersion(int v) {
    return (v / 1000) + "." + (v % 1000 / 10);
  }

  /** The cause chain, one line each. */
  static void causes(PrintStream out, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      out.printf("          caused by %s: %s%n", c.getClass().getName(), c.getMessage());
    }
  }
}

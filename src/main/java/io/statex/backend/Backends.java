package io.statex.backend;

import io.statex.jni.CudaProbe;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backends of this process and the choice of the default device.
 *
 * <p>Default device: the {@code --device} option (passed to {@link #select}), else the
 * {@code STATEX_DEVICE} environment variable, else CUDA device 0 when {@link CudaProbe} finds one,
 * else the CPU. Probing never throws; the choice and its reason are logged once and reported by
 * {@code statex info}. An explicit request for CUDA where none is usable is an error that carries the
 * probe's reason, never a silent fallback.
 */
public final class Backends {
  private static final System.Logger LOG = System.getLogger("io.statex.backend");
  private static volatile CpuBackend cpu;
  private static final ConcurrentHashMap<Integer, CudaBackend> CUDA = new ConcurrentHashMap<>();
  private static volatile Selection selection;

  /** The device chosen as default, and why. */
  public record Selection(Device device, String reason, CudaProbe.Result probe) {}

  private Backends() {}

  public static CpuBackend cpu() {
    CpuBackend c = cpu;
    if (c == null) {
      synchronized (Backends.class) {
        if (cpu == null) {
          cpu = new CpuBackend();
        }
        c = cpu;
      }
    }
    return c;
  }

  /** The backend of CUDA device index; IllegalStateException with the probe's reason if unusable. */
  public static CudaBackend cuda(int index) {
    CudaBackend b = CUDA.get(index);
    if (b != null) {
      return b;
    }
    CudaProbe.Result probe = CudaProbe.probe();
    if (!probe.usable()) {
      throw new IllegalStateException("CUDA is not usable: " + probe.reason(), probe.cause());
    }
    if (index >= probe.deviceCount()) {
      throw new IllegalArgumentException("cuda:" + index + " does not exist: " + probe.deviceCount() + " device(s) present");
    }
    return CUDA.computeIfAbsent(index, CudaBackend::new);
  }

  public static Backend forDevice(Device device) {
    return device.isCuda() ? cuda(device.index()) : cpu();
  }

  /**
   * Chooses the default device. {@code requested} is the command line's {@code --device} (null when
   * absent). "auto" and null mean: STATEX_DEVICE if set, else CUDA if usable, else CPU.
   */
  public static synchronized Selection select(String requested) {
    CudaProbe.Result probe = CudaProbe.probe();
    String env = System.getenv("STATEX_DEVICE");
    String source;
    String spec;
    if (requested != null && !requested.equalsIgnoreCase("auto")) {
      spec = requested;
      source = "--device " + requested;
    } else if (env != null && !env.isBlank() && !env.equalsIgnoreCase("auto")) {
      spec = env;
      source = "STATEX_DEVICE=" + env;
    } else {
      spec = null;
      source = null;
    }
    Selection s;
    if (spec == null) {
      s = probe.usable()
          ? new Selection(Device.cuda(0), "automatic: " + probe.reason(), probe)
          : new Selection(Device.CPU, "automatic: CUDA not usable (" + probe.reason() + ")", probe);
    } else {
      Device d = Device.parse(spec);
      if (d.isCuda()) {
        cuda(d.index()); // throws with the probe's reason when CUDA cannot serve the request
      }
      s = new Selection(d, "requested by " + source, probe);
    }
    selection = s;
    LOG.log(Level.INFO, "backend: {0} ({1})", s.device(), s.reason());
    return s;
  }

  /** The current selection (made automatically on first use). */
  public static Selection selection() {
    Selection s = selection;
    return s != null ? s : select(null);
  }

  public static Device defaultDevice() {
    return selection().device();
  }

  /** Copies a contiguous tensor to another device (same shape, dtype, contiguous dst). */
  public static void transfer(Tensor dst, Tensor src) {
    if (!src.isContiguous() || !dst.isContiguous() || src.dtype() != dst.dtype() || src.numel() != dst.numel()) {
      throw new IllegalArgumentException("transfer needs contiguous tensors of one dtype and size: " + src + " -> " + dst);
    }
    long bytes = src.numel() * src.dtype().size();
    if (bytes == 0) {
      return;
    }
    Device from = src.device();
    Device to = dst.device();
    if (!from.isCuda() && to.isCuda()) {
      cuda(to.index()).copyFromHost(dst.address(), src.address(), bytes);
    } else if (from.isCuda() && !to.isCuda()) {
      cuda(from.index()).copyToHost(dst.address(), src.address(), bytes);
    } else if (from.isCuda() && to.isCuda()) {
      try (Tensor host = Tensor.empty(src.dtype(), Device.CPU, src.shapeRef())) {
        cuda(from.index()).copyToHost(host.address(), src.address(), bytes);
        cuda(to.index()).copyFromHost(dst.address(), host.address(), bytes);
      }
    } else {
      cpu().copy(dst, src);
    }
  }

  /** cuBLAS version as major*10000 + minor*100 + patch; only call when CUDA is usable. */
  public static int cublasVersion() {
    return Cublas.version();
  }
}

package io.statex.cli;

import io.statex.backend.Backend;
import io.statex.backend.Backends;
import io.statex.backend.CudaBackend;
import io.statex.ops.Elementwise;
import io.statex.ops.GlaChunk;
import io.statex.ops.SsdChunk;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One fused kernel at one shape, forward and backward timed separately (CUDA events on a GPU, wall
 * clock on the CPU): for quick checks and for running under a profiler. The JMH classes in
 * benchmarks/ are the reference measurements.
 */
final class KernelRuns {
  private KernelRuns() {}

  /** "B8-T2048-H64-P64-N128-G1" -> letter -> size. */
  static Map<Character, Long> parse(String shape) {
    Map<Character, Long> dims = new HashMap<>();
    for (String part : shape.split("-")) {
      if (part.length() < 2) {
        throw new IllegalArgumentException("bad shape '" + shape + "': parts look like B8 or T2048");
      }
      dims.put(part.charAt(0), Long.parseLong(part.substring(1)));
    }
    return dims;
  }

  private static long dim(Map<Character, Long> dims, char c, String shape) {
    Long v = dims.get(c);
    if (v == null) {
      throw new IllegalArgumentException("shape '" + shape + "' has no " + c);
    }
    return v;
  }

  static void ssd(PrintStream out, Device d, String shape, DType dt, int reps) {
    Map<Character, Long> s = parse(shape);
    long b = dim(s, 'B', shape), t = dim(s, 'T', shape), h = dim(s, 'H', shape);
    long p = dim(s, 'P', shape), n = dim(s, 'N', shape), g = dim(s, 'G', shape);
    Backend backend = Backends.forDevice(d);
    SsdChunk.Options opt = SsdChunk.Options.mamba2();
    try (TensorScope scope = TensorScope.open()) {
      SsdChunk.Inputs in = new SsdChunk.Inputs(Tensor.normal(dt, d, 1, 0, 1, b, t, h, p),
          Tensor.normal(DType.F32, d, 2, 0, 0.5, b, t, h), Tensor.full(DType.F32, d, -3.0, h),
          Tensor.uniform(DType.F32, d, 3, -16, -1, h), Tensor.normal(dt, d, 4, 0, 1, b, t, g, n),
          Tensor.normal(dt, d, 5, 0, 1, b, t, g, n), Tensor.full(DType.F32, d, 1.0, h), null, null);
      Tensor dy = Tensor.normal(dt, d, 6, 0, 1, b, t, h, p);
      resetPeak(backend);
      double fwd = median(backend, reps, () -> SsdChunk.forward(in, opt, false));
      double bwd = median(backend, reps, () -> SsdChunk.backward(dy, null, in, opt, false));
      out.printf("ssd_chunk %s %s on %s: forward %.3f ms, backward %.3f ms (median of %d)%s%n", shape, dt, d, fwd, bwd, reps,
          peak(backend));
    }
  }

  /** GLA chunk at "B8-T2048-H4-K256-V512" with the gates the GLA layer makes (logsigmoid / 16). */
  static void gla(PrintStream out, Device d, String shape, DType dt, int reps) {
    Map<Character, Long> s = parse(shape);
    long b = dim(s, 'B', shape), t = dim(s, 'T', shape), h = dim(s, 'H', shape);
    long k = dim(s, 'K', shape), v = dim(s, 'V', shape);
    Backend backend = Backends.forDevice(d);
    double scale = GlaChunk.defaultScale(k);
    try (TensorScope scope = TensorScope.open()) {
      Tensor q = Tensor.normal(dt, d, 1, 0, 1, b, t, h, k);
      Tensor kk = Tensor.normal(dt, d, 2, 0, 1, b, t, h, k);
      Tensor vv = Tensor.normal(dt, d, 3, 0, 1, b, t, h, v);
      Tensor g;
      try (Tensor raw = Tensor.normal(DType.F32, d, 4, 0, 1, b, t, h, k);
          Tensor ls = Elementwise.logSigmoid(raw);
          Tensor scaled = Elementwise.mulScalar(ls, 1.0 / 16)) {
        g = dt == DType.F32 ? scaled.copy() : scaled.to(dt);  // its own storage: the temporaries stay out of the peak
      }
      Tensor dO = Tensor.normal(dt, d, 5, 0, 1, b, t, h, v);
      resetPeak(backend);
      double fwd = median(backend, reps, () -> GlaChunk.forward(q, kk, vv, g, null, null, scale, false));
      double bwd = median(backend, reps, () -> GlaChunk.backward(dO, null, q, kk, vv, g, null, null, scale));
      out.printf("gla_chunk %s %s on %s: forward %.3f ms, backward %.3f ms (median of %d)%s%n", shape, dt, d, fwd, bwd, reps,
          peak(backend));
    }
  }

  private static void resetPeak(Backend backend) {
    backend.synchronize();
    if (backend instanceof CudaBackend cuda) {
      cuda.allocator().resetPeaks();
    }
  }

  /** ", peak N MiB": the allocator's peak since resetPeak (inputs, outputs and workspaces), on CUDA. */
  private static String peak(Backend backend) {
    if (backend instanceof CudaBackend cuda) {
      return String.format(Locale.ROOT, ", peak %.0f MiB", cuda.allocator().stats().peakAllocatedBytes() / 1048576.0);
    }
    return "";
  }

  /** Median milliseconds of reps calls after one warm-up; results are closed. */
  private static double median(Backend backend, int reps, Supplier<AutoCloseable> op) {
    close(op.get());
    backend.synchronize();
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      if (backend instanceof CudaBackend cuda) {
        AutoCloseable[] r = new AutoCloseable[1];
        ms[i] = cuda.deviceMillis(() -> r[0] = op.get());
        close(r[0]);
      } else {
        long t0 = System.nanoTime();
        close(op.get());
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    return ms[reps / 2];
  }

  private static void close(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

package io.statex.cli;

import io.statex.backend.Backend;
import io.statex.backend.Backends;
import io.statex.backend.CudaBackend;
import io.statex.ops.Elementwise;
import io.statex.ops.MatMul;
import io.statex.ops.RmsNorm;
import io.statex.ops.Softmax;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statex bench}: a quick op benchmark on the chosen device (wall-clock medians around
 * synchronised calls; the JMH suite in benchmarks/ is the careful one). Reports per-op time, the
 * dispatch overhead of a tiny op, and GEMM throughput.
 */
@Command(name = "bench", description = "Time a few ops (elementwise, softmax, RMSNorm, GEMM) on the chosen device.")
public final class BenchCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Option(names = "--reps", defaultValue = "20", description = "Timed repetitions per op (median reported).")
  int reps;

  @Option(names = "--gemm", defaultValue = "0", description = "GEMM size n (n x n x n); 0 = 1024 on CUDA, 384 on CPU.")
  int gemm;

  @Option(names = "--gemm-only", description = "Only the GEMM rows (e.g. for a side-by-side run with another framework).")
  boolean gemmOnly;

  @Option(names = "--ssd", paramLabel = "SHAPE",
      description = "Only the SSD chunked scan at SHAPE (e.g. B8-T2048-H64-P64-N128-G1): forward and backward times.")
  String ssd;

  @Option(names = "--gla", paramLabel = "SHAPE",
      description = "Only the GLA chunked kernel at SHAPE (e.g. B8-T2048-H4-K256-V512): forward and backward times.")
  String gla;

  @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "bf16|f32",
      description = "Input dtype of --ssd and --gla (states and accumulation are fp32 either way).")
  String dtype;

  @Override
  public Integer call() {
    Device d = device.select().device();
    if (ssd != null || gla != null) {
      DType dt = WeightDType.parse("--dtype", dtype);
      if (ssd != null) {
        KernelRuns.ssd(System.out, d, ssd, dt, reps);
      }
      if (gla != null) {
        KernelRuns.gla(System.out, d, gla, dt, reps);
      }
    } else if (gemmOnly) {
      gemmRows(System.out, d, reps, gemm > 0 ? gemm : 8192);
    } else {
      run(System.out, d, reps, gemm);
    }
    return 0;
  }

  static void run(PrintStream out, Device d, int reps, int gemmSize) {
    Backend backend = Backends.forDevice(d);
    int n = gemmSize > 0 ? gemmSize : d.isCuda() ? 1024 : 384;
    out.printf("%nop benchmark on %s (median of %d, wall clock around synchronised calls)%n", d, reps);
    out.printf("%-34s %12s %14s%n", "op", "median", "throughput");
    try (TensorScope scope = TensorScope.open()) {
      Tensor small = Tensor.normal(DType.F32, d, 1, 0, 1, 1024);
      double dispatch = dispatchMicros(backend, () -> Elementwise.add(small, small), 200);
      out.printf("%-34s %9.2f us %14s%n", "add [1024] f32 (dispatch, pipelined)", dispatch, "");
      Tensor x = Tensor.normal(DType.F32, d, 2, 0, 1, 512, 1024);
      row(out, "add [512,1024] f32", time(backend, reps, () -> Elementwise.add(x, x)), 3.0 * 4 * x.numel(), "GB/s");
      row(out, "silu [512,1024] f32", time(backend, reps, () -> Elementwise.silu(x)), 2.0 * 4 * x.numel(), "GB/s");
      row(out, "softmax [512,1024] f32", time(backend, reps, () -> Softmax.softmax(x)), 2.0 * 4 * x.numel(), "GB/s");
      Tensor w = Tensor.full(DType.F32, d, 1, 1024);
      row(out, "rmsnorm [512,1024] f32", time(backend, reps, () -> RmsNorm.forward(x, w, 1e-6).y()), 2.0 * 4 * x.numel(), "GB/s");
    }
    gemmRows(out, d, reps, n);
  }

  /**
   * GEMM n^3 in f32 and bf16 through MatMul.matmul: the wall-clock median around synchronised calls,
   * and on CUDA also the median of CUDA-event device times (the method PyTorch timings use).
   */
  static void gemmRows(PrintStream out, Device d, int reps, int n) {
    Backend backend = Backends.forDevice(d);
    try (TensorScope scope = TensorScope.open()) {
      for (DType t : new DType[] {DType.F32, DType.BF16}) {
        Tensor a = Tensor.normal(t, d, 3, 0, 1, n, n);
        Tensor b = Tensor.normal(t, d, 4, 0, 1, n, n);
        double ms = time(backend, reps, () -> MatMul.matmul(a, b));
        String name = "matmul " + n + "^3 " + t.name().toLowerCase();
        out.printf("%-34s %9.3f ms %9.2f TFLOP/s%n", name, ms, 2.0 * n * n * n / (ms * 1e9));
        if (backend instanceof CudaBackend cuda) {
          double dev = deviceTime(cuda, reps, () -> MatMul.matmul(a, b));
          out.printf("%-34s %9.3f ms %9.2f TFLOP/s%n", name + " (events)", dev, 2.0 * n * n * n / (dev * 1e9));
        }
      }
    }
  }

  /**
   * Device milliseconds per call: CUDA events around reps calls queued back to back (the host runs
   * ahead, so launch overhead does not count), the median of five such rounds after a warm-up.
   */
  static double deviceTime(CudaBackend cuda, int reps, Supplier<Tensor> op) {
    for (int i = 0; i < 3; i++) {
      op.get().close();
    }
    double[] ms = new double[5];
    for (int round = 0; round < ms.length; round++) {
      ms[round] = cuda.deviceMillis(() -> {
        for (int i = 0; i < reps; i++) {
          op.get().close();
        }
      }) / reps;
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
  }

  private static void row(PrintStream out, String name, double ms, double bytes, String unit) {
    out.printf("%-34s %9.3f ms %9.2f %s%n", name, ms, bytes / (ms * 1e6), unit);
  }

  /** Median milliseconds of reps synchronised calls after a warm-up; each result is closed. */
  static double time(Backend backend, int reps, Supplier<Tensor> op) {
    for (int i = 0; i < 3; i++) {
      op.get().close();
    }
    backend.synchronize();
    double[] ms = new double[reps];
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      Tensor r = op.get();
      backend.synchronize();
      ms[i] = (System.nanoTime() - t0) / 1e6;
      r.close();
    }
    Arrays.sort(ms);
    return ms[reps / 2];
  }

  /** Microseconds per call when calls are issued back to back and synchronised once. */
  static double dispatchMicros(Backend backend, Supplier<Tensor> op, int calls) {
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      backend.synchronize();
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        op.get().close();
      }
      backend.synchronize();
      best = Math.min(best, (System.nanoTime() - t0) / 1e3 / calls);
    }
    return best;
  }
}

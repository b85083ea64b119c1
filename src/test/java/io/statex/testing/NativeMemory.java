package io.statex.testing;

import io.statex.jni.CpuNative;
import io.statex.jni.CudaNative;
import io.statex.jni.NativeCall;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Buffers for kernel tests at the C ABI level: host memory (libstatex) or CUDA device memory, filled
 * from and read into Java arrays through a host staging buffer; everything is freed on close.
 * Values travel as double and are stored as F32 or BF16 (rounded to nearest even).
 */
public final class NativeMemory implements AutoCloseable {
  interface Alloc {
    int run(long[] out, long bytes);
  }

  interface Copy {
    int run(long dst, long src, long bytes);
  }

  private final List<Long> owned = new ArrayList<>();
  private final Alloc allocate;
  private final LongConsumer release;
  private final Copy copyIn;
  private final Copy copyOut;
  private final IntConsumer check;

  private NativeMemory(Alloc allocate, LongConsumer release, Copy copyIn, Copy copyOut,
      IntConsumer check) {
    this.allocate = allocate;
    this.release = release;
    this.copyIn = copyIn;
    this.copyOut = copyOut;
    this.check = check;
  }

  public static NativeMemory host() {
    return new NativeMemory(CpuNative::statex_cpu_alloc, CpuNative::statex_cpu_free, CpuNative::statex_cpu_memcpy,
        CpuNative::statex_cpu_memcpy, status -> NativeCall.checkCpu(status, "host memory"));
  }

  /** Device memory on the current device; copies use the default stream and are synchronous. */
  public static NativeMemory cuda() {
    return new NativeMemory(CudaNative::statex_cuda_malloc, CudaNative::statex_cuda_free,
        (dst, src, bytes) -> CudaNative.statex_cuda_copy_from_host(dst, src, bytes, 0),
        (dst, src, bytes) -> CudaNative.statex_cuda_copy_to_host(dst, src, bytes, 0),
        status -> NativeCall.checkCuda(status, "cuda memory"));
  }

  /** A buffer of {@code bytes} (at least one byte is taken), freed on close. */
  public long alloc(long bytes) {
    long[] p = new long[1];
    check.accept(allocate.run(p, Math.max(bytes, 1)));
    owned.add(p[0]);
    return p[0];
  }

  public long upload(double[] values, int dtype) {
    long bytes = (long) values.length * (dtype == Tolerance.F32 ? 4 : 2);
    long dst = alloc(bytes);
    withStaging(bytes, staging -> {
      if (dtype == Tolerance.F32) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
        NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(staging, f, bytes), "memcpy");
      } else {
        short[] s = new short[values.length];
        for (int i = 0; i < s.length; i++) s[i] = Bf16.bits((float) values[i]);
        NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(staging, s, bytes), "memcpy");
      }
      check.accept(copyIn.run(dst, staging, bytes));
    });
    return dst;
  }

  public long uploadLongs(long[] values) {
    long bytes = values.length * 8L;
    long dst = alloc(bytes);
    withStaging(bytes, staging -> {
      NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(staging, values, bytes), "memcpy");
      check.accept(copyIn.run(dst, staging, bytes));
    });
    return dst;
  }

  /** {@code count} elements of NaN: a kernel that leaves one unwritten is caught. */
  public long poisoned(int count, int dtype) {
    double[] nan = new double[count];
    java.util.Arrays.fill(nan, Double.NaN);
    return upload(nan, dtype);
  }

  public double[] download(long src, int count, int dtype) {
    long bytes = (long) count * (dtype == Tolerance.F32 ? 4 : 2);
    double[] out = new double[count];
    withStaging(bytes, staging -> {
      check.accept(copyOut.run(staging, src, bytes));
      if (dtype == Tolerance.F32) {
        float[] f = new float[count];
        NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(f, staging, bytes), "memcpy");
        for (int i = 0; i < count; i++) out[i] = f[i];
      } else {
        short[] s = new short[count];
        NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(s, staging, bytes), "memcpy");
        for (int i = 0; i < count; i++) out[i] = Bf16.value(s[i]);
      }
    });
    return out;
  }

  private interface StagingUse {
    void run(long staging);
  }

  private static void withStaging(long bytes, StagingUse use) {
    long[] p = new long[1];
    NativeCall.checkCpu(CpuNative.statex_cpu_alloc(p, Math.max(bytes, 1)), "alloc");
    try {
      use.run(p[0]);
    } finally {
      CpuNative.statex_cpu_free(p[0]);
    }
  }

  @Override
  public void close() {
    for (long p : owned) release.accept(p);
    owned.clear();
  }
}

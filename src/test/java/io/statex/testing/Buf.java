package io.statex.testing;

import io.statex.jni.CpuNative;
import io.statex.jni.CudaNative;
import io.statex.jni.NativeCall;

/**
 * Native memory for kernel tests at the C ABI level: host memory (CPU entries) or device memory (CUDA entries),
 * filled from Java arrays in F32, BF16 or I64 and read back as doubles. Device transfers go through a host staging
 * buffer on stream 0 and synchronise.
 */
public final class Buf implements AutoCloseable {
  public static final int F32 = 0;
  public static final int BF16 = 1;
  public static final int I64 = 3;

  private final boolean cuda;
  private final long addr;
  private final long bytes;
  private final int dtype;
  private final int n;

  private Buf(boolean cuda, long bytes, int dtype, int n) {
    this.cuda = cuda;
    this.bytes = bytes;
    this.dtype = dtype;
    this.n = n;
    long[] p = new long[1];
    if (cuda) {
      NativeCall.checkCuda(CudaNative.statex_cuda_malloc(p, Math.max(bytes, 1)), "cuda_malloc");
    } else {
      NativeCall.checkCpu(CpuNative.statex_cpu_alloc(p, Math.max(bytes, 1)), "cpu_alloc");
    }
    this.addr = p[0];
  }

  /** The address, or 0 for a null buffer. */
  public static long addr(Buf b) {
    return b == null ? 0 : b.addr;
  }

  public long addr() {
    return addr;
  }

  public long bytes() {
    return bytes;
  }

  public static int size(int dtype) {
    return dtype == F32 ? 4 : dtype == BF16 ? 2 : 8;
  }

  /** Values in dtype (F32 or BF16, rounded to nearest even). */
  public static Buf of(boolean cuda, double[] data, int dtype) {
    Buf b = new Buf(cuda, (long) data.length * size(dtype), dtype, data.length);
    b.upload(encode(data, dtype));
    return b;
  }

  public static Buf ofLongs(boolean cuda, long[] data) {
    Buf b = new Buf(cuda, data.length * 8L, I64, data.length);
    byte[] raw = new byte[data.length * 8];
    java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(data);
    b.upload(raw);
    return b;
  }

  /** n elements of dtype, every byte 0xFF: NaN for floats, so an unwritten element fails any comparison. */
  public static Buf poisoned(boolean cuda, long n, int dtype) {
    return filled(cuda, n * size(dtype), dtype, (int) Math.min(n, Integer.MAX_VALUE));
  }

  /** A workspace of the given byte size, every byte 0xFF (NaN as floats): a kernel must write before it reads. */
  public static Buf workspace(boolean cuda, long bytes) {
    return filled(cuda, bytes, BF16, 0);
  }

  private static Buf filled(boolean cuda, long bytes, int dtype, int n) {
    Buf b = new Buf(cuda, bytes, dtype, n);
    byte[] raw = new byte[(int) bytes];
    java.util.Arrays.fill(raw, (byte) 0xFF);
    b.upload(raw);
    return b;
  }

  /** Contents as doubles (F32 or BF16). */
  public double[] toDoubles() {
    byte[] raw = new byte[(int) bytes];
    if (cuda) {
      long[] host = new long[1];
      NativeCall.checkCpu(CpuNative.statex_cpu_alloc(host, Math.max(bytes, 1)), "cpu_alloc");
      try {
        NativeCall.checkCuda(CudaNative.statex_cuda_copy_to_host(host[0], addr, bytes, 0), "copy_to_host");
        NativeCall.checkCuda(CudaNative.statex_cuda_stream_synchronize(0), "synchronize");
        NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(raw, host[0], bytes), "memcpy");
      } finally {
        CpuNative.statex_cpu_free(host[0]);
      }
    } else {
      NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(raw, addr, bytes), "memcpy");
    }
    return decode(raw, dtype, n);
  }

  private void upload(byte[] raw) {
    if (cuda) {
      long[] host = new long[1];
      NativeCall.checkCpu(CpuNative.statex_cpu_alloc(host, Math.max(bytes, 1)), "cpu_alloc");
      try {
        NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(host[0], raw, bytes), "memcpy");
        NativeCall.checkCuda(CudaNative.statex_cuda_copy_from_host(addr, host[0], bytes, 0), "copy_from_host");
        NativeCall.checkCuda(CudaNative.statex_cuda_stream_synchronize(0), "synchronize");
      } finally {
        CpuNative.statex_cpu_free(host[0]);
      }
    } else {
      NativeCall.checkCpu(CpuNative.statex_cpu_memcpy(addr, raw, bytes), "memcpy");
    }
  }

  @Override
  public void close() {
    if (cuda) {
      CudaNative.statex_cuda_free(addr);
    } else {
      CpuNative.statex_cpu_free(addr);
    }
  }

  /** The value as stored in dtype (bf16: round to nearest even, as the native code rounds). */
  public static double round(double v, int dtype) {
    float f = (float) v;
    return dtype == BF16 ? Float.intBitsToFloat(Bf16.bits(f) << 16) : f;
  }

  public static double[] round(double[] v, int dtype) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = round(v[i], dtype);
    }
    return r;
  }

  private static byte[] encode(double[] data, int dtype) {
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(data.length * size(dtype)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (double v : data) {
      if (dtype == F32) {
        bb.putFloat((float) v);
      } else {
        bb.putShort((short) Bf16.bits((float) v));
      }
    }
    return bb.array();
  }

  private static double[] decode(byte[] raw, int dtype, int n) {
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = dtype == F32 ? bb.getFloat() : Float.intBitsToFloat((bb.getShort() & 0xFFFF) << 16);
    }
    return out;
  }

  /** bfloat16 bits of a float, round to nearest even (NaN stays a quiet NaN), as common/bf16.h. */
  static final class Bf16 {
    static int bits(float f) {
      int u = Float.floatToRawIntBits(f);
      if ((u & 0x7fffffff) > 0x7f800000) {
        return ((u >>> 16) | 0x0040) & 0xFFFF;
      }
      u += 0x7fff + ((u >>> 16) & 1);
      return (u >>> 16) & 0xFFFF;
    }
  }
}

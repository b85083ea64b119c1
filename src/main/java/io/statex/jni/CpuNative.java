package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of libstatex, the CPU kernels behind the C ABI in {@code statex/*.h}.
 *
 * <p>Pointers travel as {@code long} addresses ({@code @Cast("T*") long}: a plain cast in the generated
 * JNI, no field lookups). Every function returns a {@code statex_status}; callers go through {@link
 * NativeCall#check} which turns failures into exceptions carrying {@link #statex_cpu_last_error()}.
 */
@Platform(
    include = {
      "statex/core.h",
      "statex/memory.h",
      "statex/elementwise.h",
      "statex/reduce.h",
      "statex/embedding.h",
      "statex/random.h"
    },
    link = "statex",
    library = "jnistatex")
public final class CpuNative {
  static {
    Loader.load();
  }

  private CpuNative() {}

  /** Forces the library to load (static initialiser); throws the loader's error if it cannot. */
  public static void load() {}

  // ---- core ----
  public static native int statex_cpu_abi_version();

  public static native String statex_cpu_last_error();

  public static native String statex_cpu_libc_version();

  public static native int statex_cpu_num_threads();

  public static native void statex_cpu_set_num_threads(int n);

  // ---- memory ----
  public static native int statex_cpu_alloc(@Cast("void**") long[] out, @Cast("int64_t") long bytes);

  public static native int statex_cpu_free(@Cast("void*") long ptr);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  // Java arrays in and out of native memory (the array is pinned or copied for the call only).
  public static native int statex_cpu_memcpy(@Cast("void*") byte[] dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") short[] dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") int[] dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long[] dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") float[] dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") double[] dst, @Cast("const void*") long src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") byte[] src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") short[] src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") int[] src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") long[] src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") float[] src, @Cast("int64_t") long bytes);

  public static native int statex_cpu_memcpy(@Cast("void*") long dst, @Cast("const void*") double[] src, @Cast("int64_t") long bytes);

  // ---- elementwise ----
  public static native int statex_cpu_unary(int op, int dtype, int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long out, @Cast("const int64_t*") long[] outStrides,
      @Cast("const void*") long x, @Cast("const int64_t*") long[] xStrides, double scalar);

  public static native int statex_cpu_unary_bwd(int op, int dtype, int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long dx, @Cast("const int64_t*") long[] dxStrides,
      @Cast("const void*") long dy, @Cast("const int64_t*") long[] dyStrides,
      @Cast("const void*") long x, @Cast("const int64_t*") long[] xStrides, double scalar);

  public static native int statex_cpu_binary(int op, int dtype, int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long out, @Cast("const int64_t*") long[] outStrides,
      @Cast("const void*") long a, @Cast("const int64_t*") long[] aStrides,
      @Cast("const void*") long b, @Cast("const int64_t*") long[] bStrides);

  public static native int statex_cpu_copy(int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long dst, int dstDtype, @Cast("const int64_t*") long[] dstStrides,
      @Cast("const void*") long src, int srcDtype, @Cast("const int64_t*") long[] srcStrides);

  public static native int statex_cpu_fill(int dtype, @Cast("int64_t") long n, @Cast("void*") long dst, double value);

  // ---- reductions, softmax, RMSNorm ----
  public static native int statex_cpu_reduce(int op, int dtype, @Cast("int64_t") long outer, @Cast("int64_t") long n,
      @Cast("int64_t") long inner, @Cast("void*") long out, @Cast("int64_t*") long argmax, @Cast("const void*") long in);

  public static native int statex_cpu_softmax(int dtype, int log, @Cast("int64_t") long rows, @Cast("int64_t") long n,
      @Cast("void*") long out, @Cast("const void*") long in);

  public static native int statex_cpu_softmax_bwd(int dtype, int log, @Cast("int64_t") long rows, @Cast("int64_t") long n,
      @Cast("void*") long dx, @Cast("const void*") long y, @Cast("const void*") long dy);

  public static native int statex_cpu_rmsnorm_fwd(int dtype, @Cast("int64_t") long rows, @Cast("int64_t") long n, double eps,
      @Cast("void*") long y, @Cast("void*") long rstd, @Cast("const void*") long x, @Cast("const void*") long w);

  public static native int statex_cpu_rmsnorm_bwd(int dtype, @Cast("int64_t") long rows, @Cast("int64_t") long n,
      @Cast("void*") long dx, @Cast("void*") long dw, @Cast("const void*") long dy, @Cast("const void*") long x,
      @Cast("const void*") long w, @Cast("const void*") long rstd);

  // ---- embedding ----
  public static native int statex_cpu_embedding_fwd(int dtype, int idxDtype, @Cast("int64_t") long n, @Cast("int64_t") long dim,
      @Cast("int64_t") long vocab, @Cast("void*") long out, @Cast("const void*") long table, @Cast("const void*") long idx);

  public static native int statex_cpu_embedding_bwd(int dtype, int idxDtype, @Cast("int64_t") long n, @Cast("int64_t") long dim,
      @Cast("int64_t") long vocab, @Cast("void*") long dtable, @Cast("const void*") long dout, @Cast("const void*") long idx);

  // ---- random ----
  public static native int statex_cpu_random(int dist, int dtype, @Cast("int64_t") long n, @Cast("void*") long dst,
      @Cast("uint64_t") long seed, @Cast("uint64_t") long offset, double a, double b);
}

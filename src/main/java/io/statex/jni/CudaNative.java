package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of libstatex_cuda, the CUDA kernels and runtime wrappers behind the C ABI.
 *
 * <p>The library links only the shared CUDA runtime, so it loads on machines without a GPU (the
 * device count is then 0). It is absent from builds made without nvcc; loading this class then
 * fails, which {@link CudaProbe} reports. Streams and events are {@code long} handles.
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
    link = "statex_cuda",
    preloadpath = {"/usr/local/cuda/lib64", "/usr/local/cuda-13.0/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"},
    library = "jnistatex_cuda")
public final class CudaNative {
  static {
    Loader.load();
  }

  private CudaNative() {}

  /** Forces the library to load (static initialiser); throws the loader's error if it cannot. */
  public static void load() {}

  public static native int statex_cuda_abi_version();

  public static native String statex_cuda_last_error();

  public static native int statex_cuda_device_count(int[] count);

  public static native int statex_cuda_runtime_version(int[] version);

  public static native int statex_cuda_driver_version(int[] version);

  public static native int statex_cuda_device_info(int device, @Cast("char*") byte[] name, int nameLen,
      @Cast("int64_t*") long[] totalBytes, int[] smCount, int[] ccMajor, int[] ccMinor,
      @Cast("int64_t*") long[] l2Bytes, @Cast("int64_t*") long[] smemOptin);

  public static native int statex_cuda_set_device(int device);

  public static native int statex_cuda_mem_info(@Cast("int64_t*") long[] free, @Cast("int64_t*") long[] total);

  public static native int statex_cuda_malloc(@Cast("void**") long[] out, @Cast("int64_t") long bytes);

  public static native int statex_cuda_free(@Cast("void*") long ptr);

  public static native int statex_cuda_memcpy_async(@Cast("void*") long dst, @Cast("const void*") long src,
      @Cast("int64_t") long bytes, @Cast("void*") long stream);

  public static native int statex_cuda_copy_to_host(@Cast("void*") long hostDst, @Cast("const void*") long devSrc,
      @Cast("int64_t") long bytes, @Cast("void*") long stream);

  public static native int statex_cuda_copy_from_host(@Cast("void*") long devDst, @Cast("const void*") long hostSrc,
      @Cast("int64_t") long bytes, @Cast("void*") long stream);

  public static native int statex_cuda_memset_async(@Cast("void*") long dst, int value, @Cast("int64_t") long bytes,
      @Cast("void*") long stream);

  public static native int statex_cuda_stream_create(@Cast("void**") long[] stream);

  public static native int statex_cuda_stream_destroy(@Cast("void*") long stream);

  public static native int statex_cuda_stream_synchronize(@Cast("void*") long stream);

  public static native int statex_cuda_device_synchronize();

  public static native int statex_cuda_event_create(@Cast("void**") long[] event);

  public static native int statex_cuda_event_destroy(@Cast("void*") long event);

  public static native int statex_cuda_event_record(@Cast("void*") long event, @Cast("void*") long stream);

  public static native int statex_cuda_event_synchronize(@Cast("void*") long event);

  public static native int statex_cuda_stream_wait_event(@Cast("void*") long stream, @Cast("void*") long event);

  public static native int statex_cuda_event_elapsed_ms(float[] ms, @Cast("void*") long start, @Cast("void*") long end);

  // ---- elementwise ----
  public static native int statex_cuda_unary(int op, int dtype, int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long out, @Cast("const int64_t*") long[] outStrides,
      @Cast("const void*") long x, @Cast("const int64_t*") long[] xStrides, double scalar, @Cast("void*") long stream);

  public static native int statex_cuda_unary_bwd(int op, int dtype, int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long dx, @Cast("const int64_t*") long[] dxStrides,
      @Cast("const void*") long dy, @Cast("const int64_t*") long[] dyStrides,
      @Cast("const void*") long x, @Cast("const int64_t*") long[] xStrides, double scalar, @Cast("void*") long stream);

  public static native int statex_cuda_binary(int op, int dtype, int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long out, @Cast("const int64_t*") long[] outStrides,
      @Cast("const void*") long a, @Cast("const int64_t*") long[] aStrides,
      @Cast("const void*") long b, @Cast("const int64_t*") long[] bStrides, @Cast("void*") long stream);

  public static native int statex_cuda_copy(int ndim, @Cast("const int64_t*") long[] shape,
      @Cast("void*") long dst, int dstDtype, @Cast("const int64_t*") long[] dstStrides,
      @Cast("const void*") long src, int srcDtype, @Cast("const int64_t*") long[] srcStrides, @Cast("void*") long stream);

  public static native int statex_cuda_fill(int dtype, @Cast("int64_t") long n, @Cast("void*") long dst, double value,
      @Cast("void*") long stream);

  // ---- reductions, softmax, RMSNorm ----
  public static native int statex_cuda_reduce(int op, int dtype, @Cast("int64_t") long outer, @Cast("int64_t") long n,
      @Cast("int64_t") long inner, @Cast("void*") long out, @Cast("int64_t*") long argmax, @Cast("const void*") long in,
      @Cast("void*") long stream);

  public static native int statex_cuda_softmax(int dtype, int log, @Cast("int64_t") long rows, @Cast("int64_t") long n,
      @Cast("void*") long out, @Cast("const void*") long in, @Cast("void*") long stream);

  public static native int statex_cuda_softmax_bwd(int dtype, int log, @Cast("int64_t") long rows, @Cast("int64_t") long n,
      @Cast("void*") long dx, @Cast("const void*") long y, @Cast("const void*") long dy, @Cast("void*") long stream);

  public static native int statex_cuda_rmsnorm_fwd(int dtype, @Cast("int64_t") long rows, @Cast("int64_t") long n, double eps,
      @Cast("void*") long y, @Cast("float*") long rstd, @Cast("const void*") long x, @Cast("const void*") long w,
      @Cast("void*") long stream);

  public static native int statex_cuda_rmsnorm_bwd(int dtype, @Cast("int64_t") long rows, @Cast("int64_t") long n,
      @Cast("void*") long dx, @Cast("float*") long dw, @Cast("const void*") long dy, @Cast("const void*") long x,
      @Cast("const void*") long w, @Cast("const float*") long rstd, @Cast("void*") long stream);

  // ---- embedding ----
  public static native int statex_cuda_embedding_fwd(int dtype, int idxDtype, @Cast("int64_t") long n, @Cast("int64_t") long dim,
      @Cast("int64_t") long vocab, @Cast("void*") long out, @Cast("const void*") long table, @Cast("const void*") long idx,
      @Cast("int64_t*") long badPos, @Cast("void*") long stream);

  public static native int statex_cuda_embedding_bwd(int dtype, int idxDtype, @Cast("int64_t") long n, @Cast("int64_t") long dim,
      @Cast("int64_t") long vocab, @Cast("float*") long dtable, @Cast("const void*") long dout, @Cast("const void*") long idx,
      @Cast("int64_t*") long badPos, @Cast("void*") long stream);

  // ---- random ----
  public static native int statex_cuda_random(int dist, int dtype, @Cast("int64_t") long n, @Cast("void*") long dst,
      @Cast("uint64_t") long seed, @Cast("uint64_t") long offset, double a, double b, @Cast("void*") long stream);
}

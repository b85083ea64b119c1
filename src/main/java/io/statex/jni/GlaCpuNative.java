package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of the CPU entries of {@code statex/gla.h}: the chunked gated linear attention
 * forward and backward and the decode step. Layouts, dtypes and optional (0) pointers are documented
 * in the header; calls go through {@link NativeCall#checkCpu}.
 */
@Platform(include = {"statex/core.h", "statex/gla.h"}, link = "statex", library = "jnistatex")
public final class GlaCpuNative {
  static {
    Loader.load();
  }

  private GlaCpuNative() {}

  public static native int statex_cpu_gla_chunk_fwd(@Cast("void*") long o, @Cast("void*") long ht,
      @Cast("const void*") long q, @Cast("const void*") long k, @Cast("const void*") long v,
      @Cast("const void*") long g, @Cast("const void*") long h0, @Cast("const int64_t*") long cuSeqlens,
      int dtype, int gDtype, double scale, @Cast("int64_t") long B, @Cast("int64_t") long T,
      @Cast("int64_t") long H, @Cast("int64_t") long K, @Cast("int64_t") long V, @Cast("int64_t") long N);

  public static native int statex_cpu_gla_chunk_bwd(@Cast("void*") long dq, @Cast("void*") long dk,
      @Cast("void*") long dv, @Cast("void*") long dg, @Cast("void*") long dh0,
      @Cast("const void*") long q, @Cast("const void*") long k, @Cast("const void*") long v,
      @Cast("const void*") long g, @Cast("const void*") long h0, @Cast("const void*") long dO,
      @Cast("const void*") long dht, @Cast("const int64_t*") long cuSeqlens,
      int dtype, int gDtype, double scale, @Cast("int64_t") long B, @Cast("int64_t") long T,
      @Cast("int64_t") long H, @Cast("int64_t") long K, @Cast("int64_t") long V, @Cast("int64_t") long N);

  public static native int statex_cpu_gla_step(@Cast("void*") long o, @Cast("void*") long state,
      @Cast("const void*") long q, @Cast("const void*") long k, @Cast("const void*") long v,
      @Cast("const void*") long g, int dtype, int gDtype, double scale, @Cast("int64_t") long N,
      @Cast("int64_t") long H, @Cast("int64_t") long K, @Cast("int64_t") long V);

  public static native int statex_cpu_gla_check_cu_seqlens(@Cast("const int64_t*") long cuSeqlens,
      @Cast("int64_t") long N, @Cast("int64_t") long T);
}

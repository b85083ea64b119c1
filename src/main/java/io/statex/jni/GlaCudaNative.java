package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of the CUDA entries of {@code statex/gla.h}: the chunked gated linear attention
 * forward and backward (with their workspace-size queries) and the decode step. Pointers are device
 * addresses, streams {@code long} handles; calls go through {@link NativeCall#checkCuda}. A
 * benchmark sizes the workspace with the {@code _workspace_size} queries and allocates it once.
 */
@Platform(
    include = {"statex/core.h", "statex/gla.h"},
    link = "statex_cuda",
    preloadpath = {"/usr/local/cuda/lib64", "/usr/local/cuda-13.0/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"},
    library = "jnistatex_cuda")
public final class GlaCudaNative {
  static {
    Loader.load();
  }

  private GlaCudaNative() {}

  /** Workspace bytes of the forward; varlen = 1 when cu_seqlens will be given. */
  public static native int statex_cuda_gla_chunk_fwd_workspace_size(@Cast("int64_t*") long[] bytes, int dtype,
      @Cast("int64_t") long B, @Cast("int64_t") long T, @Cast("int64_t") long H, @Cast("int64_t") long K,
      @Cast("int64_t") long V, @Cast("int64_t") long N, int varlen);

  /** Workspace bytes of the backward; varlen = 1 when cu_seqlens will be given. */
  public static native int statex_cuda_gla_chunk_bwd_workspace_size(@Cast("int64_t*") long[] bytes, int dtype,
      @Cast("int64_t") long B, @Cast("int64_t") long T, @Cast("int64_t") long H, @Cast("int64_t") long K,
      @Cast("int64_t") long V, @Cast("int64_t") long N, int varlen);

  public static native int statex_cuda_gla_chunk_fwd(@Cast("void*") long o, @Cast("float*") long ht,
      @Cast("const void*") long q, @Cast("const void*") long k, @Cast("const void*") long v,
      @Cast("const void*") long g, @Cast("const float*") long h0, @Cast("const int64_t*") long cuSeqlens,
      int dtype, int gDtype, double scale, @Cast("int64_t") long B, @Cast("int64_t") long T,
      @Cast("int64_t") long H, @Cast("int64_t") long K, @Cast("int64_t") long V, @Cast("int64_t") long N,
      @Cast("void*") long workspace, @Cast("int64_t") long workspaceBytes, @Cast("void*") long stream);

  public static native int statex_cuda_gla_chunk_bwd(@Cast("void*") long dq, @Cast("void*") long dk,
      @Cast("void*") long dv, @Cast("void*") long dg, @Cast("float*") long dh0,
      @Cast("const void*") long q, @Cast("const void*") long k, @Cast("const void*") long v,
      @Cast("const void*") long g, @Cast("const float*") long h0, @Cast("const void*") long dO,
      @Cast("const float*") long dht, @Cast("const int64_t*") long cuSeqlens,
      int dtype, int gDtype, double scale, @Cast("int64_t") long B, @Cast("int64_t") long T,
      @Cast("int64_t") long H, @Cast("int64_t") long K, @Cast("int64_t") long V, @Cast("int64_t") long N,
      @Cast("void*") long workspace, @Cast("int64_t") long workspaceBytes, @Cast("void*") long stream);

  public static native int statex_cuda_gla_step(@Cast("void*") long o, @Cast("float*") long state,
      @Cast("const void*") long q, @Cast("const void*") long k, @Cast("const void*") long v,
      @Cast("const void*") long g, int dtype, int gDtype, double scale, @Cast("int64_t") long N,
      @Cast("int64_t") long H, @Cast("int64_t") long K, @Cast("int64_t") long V, @Cast("void*") long stream);
}

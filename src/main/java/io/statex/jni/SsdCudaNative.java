package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of the CUDA Mamba2 SSD chunked scan (statex/ssd.h): device pointers (cu_seqlens too), sizes, options, workspace, stream.
 * Every call returns a statex_status; go through {@link NativeCall#checkCuda}.
 */
@Platform(include = {"statex/core.h", "statex/ssd.h"}, link = "statex_cuda",
    preloadpath = {"/usr/local/cuda/lib64", "/usr/local/cuda-13.0/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"},
    library = "jnistatex_cuda")
public final class SsdCudaNative {
  static {
    Loader.load();
  }

  private SsdCudaNative() {}

  public static native int statex_cuda_ssd_chunk_fwd_workspace_size(@Cast("int64_t*") long[] bytes,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups,
      @Cast("int64_t") long nseq, @Cast("int64_t") long chunkSize);

  public static native int statex_cuda_ssd_chunk_bwd_workspace_size(@Cast("int64_t*") long[] bytes,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups,
      @Cast("int64_t") long nseq, @Cast("int64_t") long chunkSize);

  public static native int statex_cuda_ssd_chunk_fwd(@Cast("void*") long y, @Cast("float*") long finalState,
      @Cast("const void*") long x, @Cast("const void*") long dt, @Cast("const float*") long dtBias,
      @Cast("const float*") long a, @Cast("const void*") long b, @Cast("const void*") long c,
      @Cast("const float*") long d, @Cast("const float*") long initialState, @Cast("const int64_t*") long cuSeqlens,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups,
      @Cast("int64_t") long nseq, int dtype, int dtDtype, @Cast("int64_t") long chunkSize, int dtSoftplus,
      float dtMin, float dtMax, @Cast("void*") long workspace, @Cast("int64_t") long workspaceBytes, @Cast("void*") long stream);

  public static native int statex_cuda_ssd_chunk_bwd(@Cast("void*") long dx, @Cast("void*") long ddt,
      @Cast("float*") long dA, @Cast("void*") long dB, @Cast("void*") long dC, @Cast("float*") long dD,
      @Cast("float*") long ddtBias, @Cast("float*") long dinitialState, @Cast("const void*") long dy,
      @Cast("const float*") long dfinalState, @Cast("const void*") long x, @Cast("const void*") long dt,
      @Cast("const float*") long dtBias, @Cast("const float*") long a, @Cast("const void*") long b,
      @Cast("const void*") long c, @Cast("const float*") long d, @Cast("const float*") long initialState,
      @Cast("const int64_t*") long cuSeqlens, @Cast("int64_t") long batch, @Cast("int64_t") long seqlen,
      @Cast("int64_t") long heads, @Cast("int64_t") long headdim, @Cast("int64_t") long dstate,
      @Cast("int64_t") long groups, @Cast("int64_t") long nseq, int dtype, int dtDtype,
      @Cast("int64_t") long chunkSize, int dtSoftplus, float dtMin, float dtMax, @Cast("void*") long workspace,
      @Cast("int64_t") long workspaceBytes, @Cast("void*") long stream);

  public static native int statex_cuda_ssd_step(@Cast("void*") long y, @Cast("float*") long state,
      @Cast("const void*") long x, @Cast("const void*") long dt, @Cast("const float*") long dtBias,
      @Cast("const float*") long a, @Cast("const void*") long b, @Cast("const void*") long c,
      @Cast("const float*") long d, @Cast("int64_t") long batch, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups, int dtype,
      int dtDtype, int dtSoftplus, float dtMin, float dtMax, @Cast("void*") long stream);
}

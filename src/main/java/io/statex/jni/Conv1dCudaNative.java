package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of the CUDA depthwise causal conv1d (statex/conv1d.h): device pointers (cu_seqlens too), sizes,
 * workspace (backward), stream. Every call returns a statex_status; go through {@link NativeCall#checkCuda}.
 */
@Platform(include = {"statex/core.h", "statex/conv1d.h"}, link = "statex_cuda",
    preloadpath = {"/usr/local/cuda/lib64", "/usr/local/cuda-13.0/lib64", "/usr/local/cuda/targets/x86_64-linux/lib"},
    library = "jnistatex_cuda")
public final class Conv1dCudaNative {
  static {
    Loader.load();
  }

  private Conv1dCudaNative() {}

  public static native int statex_cuda_causal_conv1d_fwd(@Cast("void*") long out, @Cast("void*") long finalState,
      @Cast("const void*") long x, @Cast("const float*") long weight, @Cast("const float*") long bias,
      @Cast("const int64_t*") long cuSeqlens, @Cast("int64_t") long batch, @Cast("int64_t") long seqlen,
      @Cast("int64_t") long channels, @Cast("int64_t") long width, @Cast("int64_t") long nseq, int dtype, int silu,
      @Cast("void*") long stream);

  public static native int statex_cuda_causal_conv1d_bwd_workspace_size(@Cast("int64_t*") long[] bytes,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long channels,
      @Cast("int64_t") long width);

  public static native int statex_cuda_causal_conv1d_bwd(@Cast("void*") long dx, @Cast("float*") long dweight,
      @Cast("float*") long dbias, @Cast("const void*") long dout, @Cast("const void*") long x,
      @Cast("const float*") long weight, @Cast("const float*") long bias, @Cast("const int64_t*") long cuSeqlens,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long channels,
      @Cast("int64_t") long width, @Cast("int64_t") long nseq, int dtype, int silu, @Cast("void*") long workspace,
      @Cast("int64_t") long workspaceBytes, @Cast("void*") long stream);

  public static native int statex_cuda_causal_conv1d_step(@Cast("void*") long out, @Cast("void*") long convState,
      @Cast("const void*") long x, @Cast("const float*") long weight, @Cast("const float*") long bias,
      @Cast("int64_t") long batch, @Cast("int64_t") long channels, @Cast("int64_t") long width, int dtype, int silu,
      @Cast("void*") long stream);
}

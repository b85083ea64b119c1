package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of the CPU depthwise causal conv1d (statex/conv1d.h): host pointers and sizes. Every call returns
 * a statex_status; go through {@link NativeCall#checkCpu}.
 */
@Platform(include = {"statex/core.h", "statex/conv1d.h"}, link = "statex", library = "jnistatex")
public final class Conv1dCpuNative {
  static {
    Loader.load();
  }

  private Conv1dCpuNative() {}

  public static native int statex_cpu_causal_conv1d_fwd(@Cast("void*") long out, @Cast("void*") long finalState,
      @Cast("const void*") long x, @Cast("const void*") long weight, @Cast("const void*") long bias,
      @Cast("const int64_t*") long cuSeqlens, @Cast("int64_t") long batch, @Cast("int64_t") long seqlen,
      @Cast("int64_t") long channels, @Cast("int64_t") long width, @Cast("int64_t") long nseq, int dtype, int silu);

  public static native int statex_cpu_causal_conv1d_bwd(@Cast("void*") long dx, @Cast("void*") long dweight,
      @Cast("void*") long dbias, @Cast("const void*") long dout, @Cast("const void*") long x,
      @Cast("const void*") long weight, @Cast("const void*") long bias, @Cast("const int64_t*") long cuSeqlens,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long channels,
      @Cast("int64_t") long width, @Cast("int64_t") long nseq, int dtype, int silu);

  public static native int statex_cpu_causal_conv1d_step(@Cast("void*") long out, @Cast("void*") long convState,
      @Cast("const void*") long x, @Cast("const void*") long weight, @Cast("const void*") long bias,
      @Cast("int64_t") long batch, @Cast("int64_t") long channels, @Cast("int64_t") long width, int dtype, int silu);
}

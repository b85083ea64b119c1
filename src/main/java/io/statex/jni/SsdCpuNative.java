package io.statex.jni;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * JavaCPP binding of the CPU Mamba2 SSD chunked scan (statex/ssd.h): host pointers, sizes, options, workspace. The
 * fp32 tensors of the CUDA entries are F32 or, with F64 data, F64 here (void* in the header).
 * Every call returns a statex_status; go through {@link NativeCall#checkCpu}.
 */
@Platform(include = {"statex/core.h", "statex/ssd.h"}, link = "statex", library = "jnistatex")
public final class SsdCpuNative {
  static {
    Loader.load();
  }

  private SsdCpuNative() {}

  public static native int statex_cpu_ssd_chunk_fwd_workspace_size(@Cast("int64_t*") long[] bytes,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups,
      @Cast("int64_t") long nseq, int dtype, @Cast("int64_t") long chunkSize);

  public static native int statex_cpu_ssd_chunk_bwd_workspace_size(@Cast("int64_t*") long[] bytes,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups,
      @Cast("int64_t") long nseq, int dtype, @Cast("int64_t") long chunkSize);

  public static native int statex_cpu_ssd_chunk_fwd(@Cast("void*") long y, @Cast("void*") long finalState,
      @Cast("const void*") long x, @Cast("const void*") long dt, @Cast("const void*") long dtBias,
      @Cast("const void*") long a, @Cast("const void*") long b, @Cast("const void*") long c,
      @Cast("const void*") long d, @Cast("const void*") long initialState, @Cast("const int64_t*") long cuSeqlens,
      @Cast("int64_t") long batch, @Cast("int64_t") long seqlen, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups,
      @Cast("int64_t") long nseq, int dtype, int dtDtype, @Cast("int64_t") long chunkSize, int dtSoftplus,
      float dtMin, float dtMax, @Cast("void*") long workspace, @Cast("int64_t") long workspaceBytes);

  public static native int statex_cpu_ssd_chunk_bwd(@Cast("void*") long dx, @Cast("void*") long ddt,
      @Cast("void*") long dA, @Cast("void*") long dB, @Cast("void*") long dC, @Cast("void*") long dD,
      @Cast("void*") long ddtBias, @Cast("void*") long dinitialState, @Cast("const void*") long dy,
      @Cast("const void*") long dfinalState, @Cast("const void*") long x, @Cast("const void*") long dt,
      @Cast("const void*") long dtBias, @Cast("const void*") long a, @Cast("const void*") long b,
      @Cast("const void*") long c, @Cast("const void*") long d, @Cast("const void*") long initialState,
      @Cast("const int64_t*") long cuSeqlens, @Cast("int64_t") long batch, @Cast("int64_t") long seqlen,
      @Cast("int64_t") long heads, @Cast("int64_t") long headdim, @Cast("int64_t") long dstate,
      @Cast("int64_t") long groups, @Cast("int64_t") long nseq, int dtype, int dtDtype,
      @Cast("int64_t") long chunkSize, int dtSoftplus, float dtMin, float dtMax, @Cast("void*") long workspace,
      @Cast("int64_t") long workspaceBytes);

  public static native int statex_cpu_ssd_step(@Cast("void*") long y, @Cast("void*") long state,
      @Cast("const void*") long x, @Cast("const void*") long dt, @Cast("const void*") long dtBias,
      @Cast("const void*") long a, @Cast("const void*") long b, @Cast("const void*") long c,
      @Cast("const void*") long d, @Cast("int64_t") long batch, @Cast("int64_t") long heads,
      @Cast("int64_t") long headdim, @Cast("int64_t") long dstate, @Cast("int64_t") long groups, int dtype,
      int dtDtype, int dtSoftplus, float dtMin, float dtMax);
}

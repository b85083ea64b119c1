package io.statex.ops;

import io.statex.jni.GlaCpuNative;
import io.statex.jni.NativeCall;
import io.statex.reference.GlaReference;
import io.statex.testing.NativeMemory;
import io.statex.testing.Tolerance;

/**
 * Runs the GLA entries of the C ABI on {@link GlaData}: uploads the inputs, poisons every output with
 * NaN, calls the CPU entry, and reads the results back as double arrays.
 */
public final class GlaNativeRunner {
  private GlaNativeRunner() {}

  /** o (and hT when the case asks for it; else null). */
  public static GlaReference.Outputs forward(GlaData d) {
    GlaCase c = d.c();
    try (NativeMemory m = NativeMemory.host()) {
      Inputs in = Inputs.upload(m, d);
      long o = m.poisoned(d.v().length, c.dtype());
      long ht = c.hT() ? m.poisoned(states(c), Tolerance.F32) : 0;
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_fwd(o, ht, in.q, in.k, in.v, in.g, in.h0, in.cu,
          c.dtype(), c.gDtype(), c.scale(), c.B(), c.T(), c.H(), c.K(), c.V(), c.N()), "cpu");
      return new GlaReference.Outputs(m.download(o, d.v().length, c.dtype()),
          c.hT() ? m.download(ht, states(c), Tolerance.F32) : null);
    }
  }

  /** dq, dk, dv, dg and dh0 (dh0 always requested). */
  public static GlaReference.Grads backward(GlaData d) {
    GlaCase c = d.c();
    try (NativeMemory m = NativeMemory.host()) {
      Inputs in = Inputs.upload(m, d);
      long dO = m.upload(d.dO(), c.dtype());
      long dht = d.dhT() != null ? m.upload(d.dhT(), Tolerance.F32) : 0;
      int nk = d.q().length, nv = d.v().length;
      long dq = m.poisoned(nk, c.dtype()), dk = m.poisoned(nk, c.dtype()), dv = m.poisoned(nv, c.dtype());
      long dg = m.poisoned(nk, c.gDtype()), dh0 = m.poisoned(states(c), Tolerance.F32);
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_bwd(dq, dk, dv, dg, dh0, in.q, in.k, in.v, in.g, in.h0,
          dO, dht, in.cu, c.dtype(), c.gDtype(), c.scale(), c.B(), c.T(), c.H(), c.K(), c.V(), c.N()),
          "cpu");
      return new GlaReference.Grads(m.download(dq, nk, c.dtype()), m.download(dk, nk, c.dtype()),
          m.download(dv, nv, c.dtype()), m.download(dg, nk, c.gDtype()), m.download(dh0, states(c), Tolerance.F32));
    }
  }

  /**
   * One decode step over N sequences: q, k, g [N, H, K], v [N, H, V]; {@code state} [N, H, K, V] is
   * updated in place (through fp32). Returns o [N, H, V].
   */
  public static double[] step(GlaCase c, double[] state, double[] q, double[] k, double[] v, double[] g) {
    try (NativeMemory m = NativeMemory.host()) {
      int n = state.length / (c.K() * c.V() * c.H());
      long s = m.upload(state, Tolerance.F32);
      long o = m.poisoned(n * c.H() * c.V(), c.dtype());
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_step(o, s, m.upload(q, c.dtype()), m.upload(k, c.dtype()),
          m.upload(v, c.dtype()), m.upload(g, c.gDtype()), c.dtype(), c.gDtype(), c.scale(), n, c.H(), c.K(), c.V()),
          "cpu");
      System.arraycopy(m.download(s, state.length, Tolerance.F32), 0, state, 0, state.length);
      return m.download(o, n * c.H() * c.V(), c.dtype());
    }
  }

  static int states(GlaCase c) {
    return c.N() * c.H() * c.K() * c.V();
  }

  /** The forward inputs in native memory (0 for an absent h0 / cu_seqlens). */
  record Inputs(long q, long k, long v, long g, long h0, long cu) {
    static Inputs upload(NativeMemory m, GlaData d) {
      GlaCase c = d.c();
      return new Inputs(m.upload(d.q(), c.dtype()), m.upload(d.k(), c.dtype()), m.upload(d.v(), c.dtype()),
          m.upload(d.g(), c.gDtype()), d.h0() != null ? m.upload(d.h0(), Tolerance.F32) : 0,
          c.varlen() ? m.uploadLongs(c.cuSeqlens()) : 0);
    }
  }
}

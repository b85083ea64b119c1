package io.statex.ops;

import io.statex.jni.GlaCpuNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * The validated arguments of one {@link GlaChunk} call: sizes from q [B, T, H, K] and v, the number
 * of sequences N, and every tensor checked for shape, dtype and device (IllegalArgumentException
 * naming the argument, the expected and the actual value).
 */
record GlaArgs(long B, long T, long H, long K, long V, long N, Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0,
    Tensor cu) {

  static GlaArgs of(String op, Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0, Tensor cu) {
    checkQkvg(op, q, k, v, g, 4);
    long B = q.size(0), T = q.size(1), H = q.size(2), K = q.size(3);
    long N = B;
    if (cu != null) {
      Checks.dtype(op, "cuSeqlens", cu, DType.I64);
      Checks.rank(op, "cuSeqlens", cu, 1);
      Checks.sameDevice(op, "q", q, "cuSeqlens", cu);
      if (B != 1) {
        throw new IllegalArgumentException(op + ": q has B = " + B + " with cuSeqlens (expected B = 1: sequences are packed along T)");
      }
      N = cu.size(0) - 1;
      if (N < 1) {
        throw new IllegalArgumentException(op + ": cuSeqlens has " + cu.size(0) + " elements (expected N + 1 >= 2)");
      }
      checkOffsets(op, cu, N, T);
    }
    GlaArgs a = new GlaArgs(B, T, H, K, v.size(3), N, q, k, v, g, h0, cu);
    a.input(op, "h0", h0, a.stateDType(), a.stateShape());
    return a;
  }

  /** The contents of cuSeqlens, checked on the host by the native rule (the CUDA entries cannot read it). */
  private static void checkOffsets(String op, Tensor cu, long N, long T) {
    try (Tensor host = cu.to(Device.CPU);
        Tensor c = host.contiguous()) {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_check_cu_seqlens(c.address(), N, T), op);
    }
  }

  long[] stateShape() {
    return new long[] {N, H, K, V};
  }

  /** F32, or F64 for F64 inputs (statex/gla.h). */
  DType stateDType() {
    return q.dtype().wide();
  }

  int dtype() {
    return q.dtype().code();
  }

  int gDtype() {
    return g.dtype().code();
  }

  /** An optional input: when present, of this dtype and shape, on q's device. */
  void input(String op, String name, Tensor t, DType dtype, long... shape) {
    if (t == null) {
      return;
    }
    Checks.dtype(op, name, t, dtype);
    Checks.shape(op, name, t, shape);
    Checks.sameDevice(op, "q", q, name, t);
  }

  /** An output the caller provides (optional ones may be null): also contiguous. */
  void output(String op, String name, Tensor t, DType dtype, long... shape) {
    input(op, name, t, dtype, shape);
    contiguousOutput(op, name, t);
  }

  static void contiguousOutput(String op, String name, Tensor t) {
    if (t != null && !t.isContiguous()) {
      throw new IllegalArgumentException(op + ": output " + name + " must be contiguous, got strides "
          + Arrays.toString(t.stridesRef()));
    }
  }

  static long addr(Tensor t) {
    return t == null ? 0 : t.address();
  }

  /** Contiguous views (or copies) of the inputs for the native call, closed after it. */
  record Contiguous(Tensor qc, Tensor kc, Tensor vc, Tensor gc, Tensor h0c, Tensor cuc) implements AutoCloseable {
    long q() {
      return qc.address();
    }

    long k() {
      return kc.address();
    }

    long v() {
      return vc.address();
    }

    long g() {
      return gc.address();
    }

    long h0() {
      return addr(h0c);
    }

    long cu() {
      return addr(cuc);
    }

    @Override
    public void close() {
      for (Tensor t : new Tensor[] {qc, kc, vc, gc, h0c, cuc}) {
        if (t != null) {
          t.close();
        }
      }
    }
  }

  Contiguous contiguous() {
    return new Contiguous(q.contiguous(), k.contiguous(), v.contiguous(), g.contiguous(),
        h0 == null ? null : h0.contiguous(), cu == null ? null : cu.contiguous());
  }

  /**
   * q [..., K] of a float dtype and the given rank; k like q; v like q but for its last size; g like
   * q in F32 or q's dtype; all on q's device.
   */
  private static void checkQkvg(String op, Tensor q, Tensor k, Tensor v, Tensor g, int rank) {
    Checks.floatDType(op, "q", q);
    Checks.rank(op, "q", q, rank);
    Checks.notNull(op, "k", k);
    Checks.sameDType(op, "q", q, "k", k);
    Checks.shape(op, "k", k, q.shapeRef());
    Checks.notNull(op, "v", v);
    Checks.sameDType(op, "q", q, "v", v);
    Checks.rank(op, "v", v, rank);
    long[] vShape = q.shape();
    vShape[rank - 1] = v.size(rank - 1);
    Checks.shape(op, "v", v, vShape);
    Checks.dtype(op, "g", g, DType.F32, q.dtype());
    Checks.shape(op, "g", g, q.shapeRef());
    Checks.sameDevice(op, "q", q, "k", k);
    Checks.sameDevice(op, "q", q, "v", v);
    Checks.sameDevice(op, "q", q, "g", g);
  }

  /** Sizes of a decode step. */
  record StepShape(long N, long H, long K, long V) {}

  static StepShape step(String op, Tensor o, Tensor state, Tensor q, Tensor k, Tensor v, Tensor g) {
    checkQkvg(op, q, k, v, g, 3);
    long N = q.size(0), H = q.size(1), K = q.size(2), V = v.size(2);
    Checks.dtype(op, "state", state, q.dtype().wide());
    Checks.shape(op, "state", state, N, H, K, V);
    Checks.sameDevice(op, "q", q, "state", state);
    Checks.dtype(op, "o", o, q.dtype());
    Checks.shape(op, "o", o, N, H, V);
    Checks.sameDevice(op, "q", q, "o", o);
    contiguousOutput(op, "state", state);
    contiguousOutput(op, "o", o);
    return new StepShape(N, H, K, V);
  }
}

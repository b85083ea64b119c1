package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.Backends;
import io.statex.backend.CudaBackend;
import io.statex.jni.NativeCall;
import io.statex.jni.SsdCpuNative;
import io.statex.jni.SsdCudaNative;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * The Mamba2 SSD chunked scan (statex/ssd.h, docs/kernels/ssd_chunk.md): per head h, group g = h / (H/G),
 * {@code delta = clamp(softplus(dt + dt_bias))}, {@code s = exp(delta A) s + delta x B^T}, {@code y = s C + D x}.
 * Forward, backward (every gradient, the final-state cotangent included) and the single-token decode step, on the
 * tensors' device (CPU or CUDA, on the device's compute stream). Workspaces are allocated here and freed on return.
 *
 * <p>Layouts: x [B,T,H,P] (F32 or BF16), dt [B,T,H] (F32 or x's dtype), A [H] F32, B and C [B,T,G,N] (x's dtype),
 * dt_bias and D [H] F32, states [S,H,P,N] F32 with S = B, or the number of sequences of a packed batch
 * (cu_seqlens I64 [S+1], B = 1). On the CPU x may be F64: then every F32 tensor above (A, dt_bias, D, the states
 * and all their gradients) is F64 too ({@link DType#wide}) and the scan runs in double throughout.
 */
public final class SsdChunk {
  private SsdChunk() {}

  /** Chunk size Q (64, 128 or 256), softplus on dt + dt_bias, and the clamp of delta (gradient 0 where active). */
  public record Options(int chunkSize, boolean dtSoftplus, float dtMin, float dtMax) {
    /** Mamba2's defaults: Q 256, softplus, no clamp. */
    public static Options mamba2() {
      return new Options(256, true, 0f, Float.POSITIVE_INFINITY);
    }
  }

  /** The scan's inputs; dtBias, D, initialState and cuSeqlens may be null. */
  public record Inputs(Tensor x, Tensor dt, Tensor dtBias, Tensor A, Tensor B, Tensor C, Tensor D, Tensor initialState,
      Tensor cuSeqlens) {}

  /** y [B,T,H,P]; finalState [S,H,P,N] (x's wide dtype) or null when not asked for. */
  public record Result(Tensor y, Tensor finalState) implements AutoCloseable {
    @Override
    public void close() {
      closeAll(y, finalState);
    }
  }

  /** Gradients in the layouts of their inputs; dD, ddtBias, dInitialState are null when not applicable. */
  public record Grads(Tensor dx, Tensor ddt, Tensor dA, Tensor dB, Tensor dC, Tensor dD, Tensor ddtBias,
      Tensor dInitialState) implements AutoCloseable {
    @Override
    public void close() {
      closeAll(dx, ddt, dA, dB, dC, dD, ddtBias, dInitialState);
    }
  }

  /** Sizes of a validated call (nseq 0 without cu_seqlens; seqs = S); dtype is x's. */
  record Dims(long b, long t, long h, long p, long n, long g, long nseq, long seqs, Device device, DType dtype) {
    /** The dtype of A, dt_bias, D, the states and their gradients: F32, or F64 for F64 x. */
    DType wide() {
      return dtype.wide();
    }
  }

  public static Result forward(Inputs in, Options opt, boolean finalState) {
    Dims d = validate("ssd_chunk forward", in, opt);
    Tensor y = Tensor.empty(in.x().dtype(), d.device(), d.b(), d.t(), d.h(), d.p());
    Tensor fin = finalState ? Tensor.empty(d.wide(), d.device(), d.seqs(), d.h(), d.p(), d.n()) : null;
    try (Contig c = new Contig(in);
        Tensor ws = workspace(d, opt, false)) {
      int sp = opt.dtSoftplus() ? 1 : 0;
      if (d.device().isCuda()) {
        CudaBackend be = cuda(d.device());
        NativeCall.checkCuda(SsdCudaNative.statex_cuda_ssd_chunk_fwd(y.address(), addr(fin), c.x, c.dt, c.dtBias, c.a,
            c.b, c.c, c.d, c.init, c.cu, d.b(), d.t(), d.h(), d.p(), d.n(), d.g(), d.nseq(), c.dtype, c.dtDtype,
            opt.chunkSize(), sp, opt.dtMin(), opt.dtMax(), ws.address(), bytes(ws), be.stream()), "ssd_chunk forward");
      } else {
        NativeCall.checkCpu(SsdCpuNative.statex_cpu_ssd_chunk_fwd(y.address(), addr(fin), c.x, c.dt, c.dtBias, c.a, c.b,
            c.c, c.d, c.init, c.cu, d.b(), d.t(), d.h(), d.p(), d.n(), d.g(), d.nseq(), c.dtype, c.dtDtype,
            opt.chunkSize(), sp, opt.dtMin(), opt.dtMax(), ws.address(), bytes(ws)), "ssd_chunk forward");
      }
    } catch (RuntimeException e) {
      closeAll(y, fin);
      throw e;
    }
    return new Result(y, fin);
  }

  /**
   * Gradients for the cotangents dy [B,T,H,P] and dFinalState [S,H,P,N] of x's wide dtype (null: zero).
   * dInitialState is computed when {@code initialStateGrad} (also without an initial state: the gradient with respect
   * to the zero state).
   */
  public static Grads backward(Tensor dy, Tensor dFinalState, Inputs in, Options opt, boolean initialStateGrad) {
    String op = "ssd_chunk backward";
    Dims d = validate(op, in, opt);
    Checks.notNull(op, "dy", dy);
    Checks.sameDType(op, "dy", dy, "x", in.x());
    Checks.sameDevice(op, "dy", dy, "x", in.x());
    Checks.shape(op, "dy", dy, in.x().shapeRef());
    if (dFinalState != null) {
      Checks.dtype(op, "dFinalState", dFinalState, d.wide());
      Checks.sameDevice(op, "dFinalState", dFinalState, "x", in.x());
      Checks.shape(op, "dFinalState", dFinalState, d.seqs(), d.h(), d.p(), d.n());
    }
    Device dev = d.device();
    Tensor dx = Tensor.empty(in.x().dtype(), dev, in.x().shapeRef());
    Tensor ddt = Tensor.empty(in.dt().dtype(), dev, in.dt().shapeRef());
    Tensor dA = Tensor.empty(d.wide(), dev, d.h());
    Tensor dB = Tensor.empty(in.B().dtype(), dev, in.B().shapeRef());
    Tensor dC = Tensor.empty(in.C().dtype(), dev, in.C().shapeRef());
    Tensor dD = in.D() == null ? null : Tensor.empty(d.wide(), dev, d.h());
    Tensor dBias = in.dtBias() == null ? null : Tensor.empty(d.wide(), dev, d.h());
    Tensor dInit = initialStateGrad ? Tensor.empty(d.wide(), dev, d.seqs(), d.h(), d.p(), d.n()) : null;
    Grads g = new Grads(dx, ddt, dA, dB, dC, dD, dBias, dInit);
    try (Contig c = new Contig(in);
        Tensor dyc = dy.contiguous();
        Tensor dfc = dFinalState == null ? null : dFinalState.contiguous();
        Tensor ws = workspace(d, opt, true)) {
      int sp = opt.dtSoftplus() ? 1 : 0;
      if (dev.isCuda()) {
        CudaBackend be = cuda(dev);
        NativeCall.checkCuda(SsdCudaNative.statex_cuda_ssd_chunk_bwd(dx.address(), ddt.address(), dA.address(),
            dB.address(), dC.address(), addr(dD), addr(dBias), addr(dInit), dyc.address(), addr(dfc), c.x, c.dt,
            c.dtBias, c.a, c.b, c.c, c.d, c.init, c.cu, d.b(), d.t(), d.h(), d.p(), d.n(), d.g(), d.nseq(), c.dtype,
            c.dtDtype, opt.chunkSize(), sp, opt.dtMin(), opt.dtMax(), ws.address(), bytes(ws), be.stream()), op);
      } else {
        NativeCall.checkCpu(SsdCpuNative.statex_cpu_ssd_chunk_bwd(dx.address(), ddt.address(), dA.address(),
            dB.address(), dC.address(), addr(dD), addr(dBias), addr(dInit), dyc.address(), addr(dfc), c.x, c.dt,
            c.dtBias, c.a, c.b, c.c, c.d, c.init, c.cu, d.b(), d.t(), d.h(), d.p(), d.n(), d.g(), d.nseq(), c.dtype,
            c.dtDtype, opt.chunkSize(), sp, opt.dtMin(), opt.dtMax(), ws.address(), bytes(ws)), op);
      }
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  /**
   * One decode step: x [B,H,P], dt [B,H], B and C [B,G,N]; the state [B,H,P,N] (x's wide dtype, contiguous) is
   * updated in place. Returns y [B,H,P]. dtBias and D may be null; opt's chunk size is not used.
   */
  public static Tensor step(Tensor state, Tensor x, Tensor dt, Tensor dtBias, Tensor A, Tensor B, Tensor C, Tensor D,
      Options opt) {
    String op = "ssd step";
    Checks.floatDType(op, "x", x);
    Checks.rank(op, "x", x, 3);
    long b = x.size(0), h = x.size(1), p = x.size(2);
    Checks.rank(op, "B", B, 3);
    long g = B.size(1), n = B.size(2);
    checkCommon(op, x, dt, dtBias, A, B, C, D, h, g);
    Checks.shape(op, "dt", dt, b, h);
    Checks.shape(op, "B", B, b, g, n);
    Checks.shape(op, "C", C, b, g, n);
    Checks.dtype(op, "state", state, x.dtype().wide());
    Checks.sameDevice(op, "state", state, "x", x);
    Checks.shape(op, "state", state, b, h, p, n);
    if (!state.isContiguous()) {
      throw new IllegalArgumentException(op + ": state must be contiguous (it is updated in place)");
    }
    Tensor y = Tensor.empty(x.dtype(), x.device(), b, h, p);
    try (Contig c = new Contig(new Inputs(x, dt, dtBias, A, B, C, D, null, null))) {
      int sp = opt.dtSoftplus() ? 1 : 0;
      if (x.device().isCuda()) {
        CudaBackend be = cuda(x.device());
        NativeCall.checkCuda(SsdCudaNative.statex_cuda_ssd_step(y.address(), state.address(), c.x, c.dt, c.dtBias, c.a,
            c.b, c.c, c.d, b, h, p, n, g, c.dtype, c.dtDtype, sp, opt.dtMin(), opt.dtMax(), be.stream()), op);
      } else {
        NativeCall.checkCpu(SsdCpuNative.statex_cpu_ssd_step(y.address(), state.address(), c.x, c.dt, c.dtBias, c.a,
            c.b, c.c, c.d, b, h, p, n, g, c.dtype, c.dtDtype, sp, opt.dtMin(), opt.dtMax()), op);
      }
    } catch (RuntimeException e) {
      y.close();
      throw e;
    }
    return y;
  }

  /**
   * Bytes of the forward (backward = false) or backward workspace on a device for x of this dtype, from the native
   * query (the CPU's depends on the dtype: F64 needs more; the CUDA one rejects F64).
   */
  public static long workspaceBytes(Device device, DType dtype, boolean backward, long b, long t, long h, long p,
      long n, long g, long nseq, int chunkSize) {
    long[] out = new long[1];
    if (device.isCuda()) {
      NativeCall.checkCuda(backward
          ? SsdCudaNative.statex_cuda_ssd_chunk_bwd_workspace_size(out, b, t, h, p, n, g, nseq, chunkSize)
          : SsdCudaNative.statex_cuda_ssd_chunk_fwd_workspace_size(out, b, t, h, p, n, g, nseq, chunkSize),
          "ssd_chunk workspace size");
    } else {
      NativeCall.checkCpu(backward
          ? SsdCpuNative.statex_cpu_ssd_chunk_bwd_workspace_size(out, b, t, h, p, n, g, nseq, dtype.code(), chunkSize)
          : SsdCpuNative.statex_cpu_ssd_chunk_fwd_workspace_size(out, b, t, h, p, n, g, nseq, dtype.code(), chunkSize),
          "ssd_chunk workspace size");
    }
    return out[0];
  }

  // ---------------------------------------------------------------- validation and plumbing

  static Dims validate(String op, Inputs in, Options opt) {
    if (in == null || opt == null) {
      throw new IllegalArgumentException(op + ": inputs and options must not be null");
    }
    Tensor x = in.x();
    Checks.floatDType(op, "x", x);
    Checks.rank(op, "x", x, 4);
    long b = x.size(0), t = x.size(1), h = x.size(2), p = x.size(3);
    Checks.notNull(op, "B", in.B());
    Checks.rank(op, "B", in.B(), 4);
    long g = in.B().size(2), n = in.B().size(3);
    checkCommon(op, x, in.dt(), in.dtBias(), in.A(), in.B(), in.C(), in.D(), h, g);
    Checks.shape(op, "dt", in.dt(), b, t, h);
    Checks.shape(op, "B", in.B(), b, t, g, n);
    Checks.shape(op, "C", in.C(), b, t, g, n);
    if (opt.chunkSize() != 64 && opt.chunkSize() != 128 && opt.chunkSize() != 256) {
      throw new IllegalArgumentException(op + ": chunkSize must be 64, 128 or 256, got " + opt.chunkSize());
    }
    if (!(opt.dtMin() <= opt.dtMax())) {
      throw new IllegalArgumentException(op + ": dt limits must satisfy dtMin <= dtMax, got (" + opt.dtMin() + ", "
          + opt.dtMax() + ")");
    }
    long nseq = 0;
    long seqs = b;
    if (in.cuSeqlens() != null) {
      nseq = checkCuSeqlens(op, in.cuSeqlens(), x, b, t);
      seqs = nseq;
    }
    if (in.initialState() != null) {
      Checks.dtype(op, "initialState", in.initialState(), x.dtype().wide());
      Checks.sameDevice(op, "initialState", in.initialState(), "x", x);
      Checks.shape(op, "initialState", in.initialState(), seqs, h, p, n);
    }
    return new Dims(b, t, h, p, n, g, nseq, seqs, x.device(), x.dtype());
  }

  /** dt, dt_bias, A, B, C, D: dtypes, devices and the [H]-shaped parameters; G divides H. */
  private static void checkCommon(String op, Tensor x, Tensor dt, Tensor dtBias, Tensor A, Tensor B, Tensor C,
      Tensor D, long h, long g) {
    Checks.notNull(op, "dt", dt);
    if (dt.dtype() != DType.F32 && dt.dtype() != x.dtype()) {
      throw new IllegalArgumentException(op + ": dt must be F32 or x's dtype " + x.dtype() + ", got " + dt.dtype());
    }
    Checks.sameDevice(op, "dt", dt, "x", x);
    likeX(op, "B", B, x);
    likeX(op, "C", C, x);
    if (g < 1 || h % g != 0) {
      throw new IllegalArgumentException(op + ": the group count G = " + g + " (B's axis 2) must divide H = " + h);
    }
    Checks.notNull(op, "A", A);
    perHead(op, "A", A, x, h);
    perHead(op, "dtBias", dtBias, x, h);
    perHead(op, "D", D, x, h);
  }

  private static void likeX(String op, String name, Tensor t, Tensor x) {
    Checks.notNull(op, name, t);
    Checks.sameDType(op, name, t, "x", x);
    Checks.sameDevice(op, name, t, "x", x);
  }

  /** An optional [H] parameter of x's wide dtype on x's device. */
  private static void perHead(String op, String name, Tensor t, Tensor x, long h) {
    if (t == null) {
      return;
    }
    Checks.dtype(op, name, t, x.dtype().wide());
    Checks.sameDevice(op, name, t, "x", x);
    Checks.shape(op, name, t, h);
  }

  /** cu_seqlens: I64 [S+1], B = 1, 0 = cu[0] <= ... <= cu[S] = T (values read back, also from a GPU). */
  static long checkCuSeqlens(String op, Tensor cu, Tensor x, long b, long t) {
    Checks.dtype(op, "cuSeqlens", cu, DType.I64);
    Checks.sameDevice(op, "cuSeqlens", cu, "x", x);
    Checks.rank(op, "cuSeqlens", cu, 1);
    if (b != 1) {
      throw new IllegalArgumentException(op + ": cuSeqlens (packed sequences) needs batch 1, got " + b);
    }
    long[] v = cu.toLongArray();
    boolean ok = v.length >= 2 && v[0] == 0 && v[v.length - 1] == t;
    for (int i = 1; ok && i < v.length; i++) {
      ok = v[i] >= v[i - 1];
    }
    if (!ok) {
      throw new IllegalArgumentException(op + ": cuSeqlens must run from 0 to T = " + t + " without decreasing, got "
          + Arrays.toString(v.length > 16 ? Arrays.copyOf(v, 16) : v) + (v.length > 16 ? "..." : ""));
    }
    return v.length - 1;
  }

  private static Tensor workspace(Dims d, Options opt, boolean backward) {
    long bytes = workspaceBytes(d.device(), d.dtype(), backward, d.b(), d.t(), d.h(), d.p(), d.n(), d.g(), d.nseq(),
        opt.chunkSize());
    // F32 elements: under the tests' poisoning a workspace starts as NaN, so a read before a write shows.
    return Tensor.empty(DType.F32, d.device(), Math.max(1, (bytes + 3) / 4));
  }

  static CudaBackend cuda(Device device) {
    CudaBackend be = Backends.cuda(device.index());
    be.makeCurrent();
    return be;
  }

  static long bytes(Tensor ws) {
    return ws.numel() * ws.dtype().size();
  }

  static long addr(Tensor t) {
    return t == null ? 0L : t.address();
  }

  static void closeAll(Tensor... ts) {
    for (Tensor t : ts) {
      if (t != null) {
        t.close();
      }
    }
  }

  /** Contiguous handles on the inputs (views when already contiguous), closed together. */
  private static final class Contig implements AutoCloseable {
    final long x, dt, dtBias, a, b, c, d, init, cu;
    final int dtype, dtDtype;
    private final Tensor[] held;

    Contig(Inputs in) {
      held = new Tensor[] {cont(in.x()), cont(in.dt()), cont(in.dtBias()), cont(in.A()), cont(in.B()), cont(in.C()),
          cont(in.D()), cont(in.initialState()), cont(in.cuSeqlens())};
      x = addr(held[0]);
      dt = addr(held[1]);
      dtBias = addr(held[2]);
      a = addr(held[3]);
      b = addr(held[4]);
      c = addr(held[5]);
      d = addr(held[6]);
      init = addr(held[7]);
      cu = addr(held[8]);
      dtype = in.x().dtype().code();
      dtDtype = in.dt().dtype().code();
    }

    private static Tensor cont(Tensor t) {
      return t == null ? null : t.contiguous();
    }

    @Override
    public void close() {
      closeAll(held);
    }
  }

  // ---------------------------------------------------------------- differentiable (Var) form

  /**
   * The SSD scan recorded for backward: returns {y, finalState} (finalState null unless asked).
   * dtBias, D and initialState may be null; cuSeqlens packs sequences as in {@link #forward}.
   */
  public static Var[] apply(Var x, Var dt, Var dtBias, Var A, Var B, Var C, Var D, Var initialState, Tensor cuSeqlens,
      Options opt, boolean finalState) {
    Inputs in = new Inputs(x.value(), dt.value(), val(dtBias), A.value(), B.value(), C.value(), val(D),
        val(initialState), cuSeqlens);
    Result r = forward(in, opt, finalState);
    Var[] inputs = {x, dt, dtBias, A, B, C, D, initialState};
    return Tape.record("ssd_chunk", inputs, new Tensor[] {r.y(), r.finalState()}, (g, needs) -> {
      Grads d = backward(g[0], g[1], in, opt, initialState != null && needs[7]);
      return new Tensor[] {d.dx(), d.ddt(), d.ddtBias(), d.dA(), d.dB(), d.dC(), d.dD(), d.dInitialState()};
    });
  }

  private static Tensor val(Var v) {
    return v == null ? null : v.value();
  }
}

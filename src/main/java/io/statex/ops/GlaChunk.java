package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.Backends;
import io.statex.backend.CudaBackend;
import io.statex.jni.GlaCpuNative;
import io.statex.jni.GlaCudaNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chunked gated linear attention (statex/gla.h): S_t = diag(e^{g_t}) S_{t-1} + k_t v_t^T,
 * o_t = scale S_t^T q_t, per sequence and head, with fp32 states.
 *
 * <p>Shapes: q, k, g [B, T, H, K]; v, o [B, T, H, V]; h0, hT [N, H, K, V] F32. q, k, v share a
 * float dtype; g is F32 or that dtype. F64 inputs (CPU only) make every state F64 too (h0, hT, dh0,
 * dhT, the decode state: {@link DType#wide}), so that an F64 call is double from end to end. cuSeqlens (I64 [N + 1], B = 1) packs N sequences along T;
 * without it N = B. Optional tensors are null. Inputs may be views (they are made contiguous);
 * outputs given to the {@code ...Into} entries must be contiguous. The calls run on the tensors'
 * device (CUDA: queued on the device's compute stream, with a workspace from the device's allocator
 * for the duration of the call); {@link #variant} names the kernels each device and dtype get, and
 * the first call of each is logged.
 */
public final class GlaChunk {
  private static final System.Logger LOG = System.getLogger("io.statex.ops");
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private GlaChunk() {}

  /** The implementation a call on this device with these inputs runs, in one line. */
  public static String variant(Device device, DType dtype) {
    if (!device.isCuda()) {
      return "cpu: exact chunked form in double, parallel over (sequence, head)";
    }
    return dtype == DType.BF16
        ? "cuda: chunked kernels, bf16 tensor-core products (mma.sync m16n8k16), fp32 accumulation and states"
        : "cuda: chunked kernels, fp32 products on CUDA cores (fp32 inputs keep fp32 accuracy)";
  }

  /** Device workspace of the CUDA forward, in bytes (B = 1 and N sequences when varlen). */
  public static long forwardWorkspaceBytes(DType dtype, long B, long T, long H, long K, long V, long N,
      boolean varlen) {
    return workspaceBytes(false, dtype, B, T, H, K, V, N, varlen);
  }

  /** Device workspace of the CUDA backward, in bytes. */
  public static long backwardWorkspaceBytes(DType dtype, long B, long T, long H, long K, long V, long N,
      boolean varlen) {
    return workspaceBytes(true, dtype, B, T, H, K, V, N, varlen);
  }

  private static long workspaceBytes(boolean backward, DType dtype, long B, long T, long H, long K, long V, long N,
      boolean varlen) {
    long[] bytes = new long[1];
    int v = varlen ? 1 : 0, dt = dtype.code();
    NativeCall.checkCuda(backward
        ? GlaCudaNative.statex_cuda_gla_chunk_bwd_workspace_size(bytes, dt, B, T, H, K, V, N, v)
        : GlaCudaNative.statex_cuda_gla_chunk_fwd_workspace_size(bytes, dt, B, T, H, K, V, N, v), "gla_chunk workspace");
    return bytes[0];
  }

  /** The usual scale K^-1/2. */
  public static double defaultScale(long K) {
    return 1 / Math.sqrt(K);
  }

  /** o, and the final state hT (null when not asked for). */
  public record Result(Tensor o, Tensor hT) implements AutoCloseable {
    @Override
    public void close() {
      o.close();
      if (hT != null) {
        hT.close();
      }
    }
  }

  /** The gradients; dh0 is that of the initial state (zero state when h0 was null). */
  public record Grads(Tensor dq, Tensor dk, Tensor dv, Tensor dg, Tensor dh0) implements AutoCloseable {
    @Override
    public void close() {
      dq.close();
      dk.close();
      dv.close();
      dg.close();
      dh0.close();
    }
  }

  public static Result forward(Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0, Tensor cuSeqlens, double scale,
      boolean finalState) {
    GlaArgs a = GlaArgs.of("gla_chunk forward", q, k, v, g, h0, cuSeqlens);
    Tensor o = Tensor.empty(q.dtype(), q.device(), a.B(), a.T(), a.H(), a.V());
    Tensor hT = finalState ? Tensor.empty(a.stateDType(), q.device(), a.stateShape()) : null;
    forwardInto(o, hT, q, k, v, g, h0, cuSeqlens, scale);
    return new Result(o, hT);
  }

  /** Writes o and (when not null) hT; hT may be h0 itself (the state is then updated in place). */
  public static void forwardInto(Tensor o, Tensor hT, Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0,
      Tensor cuSeqlens, double scale) {
    String op = "gla_chunk forward";
    GlaArgs a = GlaArgs.of(op, q, k, v, g, h0, cuSeqlens);
    a.output(op, "o", o, q.dtype(), a.B(), a.T(), a.H(), a.V());
    a.output(op, "hT", hT, a.stateDType(), a.stateShape());
    logVariant(op, q);
    try (GlaArgs.Contiguous c = a.contiguous()) {
      if (!q.device().isCuda()) {
        NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_fwd(o.address(), GlaArgs.addr(hT), c.q(), c.k(), c.v(),
            c.g(), c.h0(), c.cu(), a.dtype(), a.gDtype(), scale, a.B(), a.T(), a.H(), a.K(), a.V(), a.N()), op);
        return;
      }
      CudaBackend b = cuda(op, q);
      long bytes = forwardWorkspaceBytes(q.dtype(), a.B(), a.T(), a.H(), a.K(), a.V(), a.N(), cuSeqlens != null);
      try (Tensor ws = workspace(q.device(), bytes)) {
        NativeCall.checkCuda(GlaCudaNative.statex_cuda_gla_chunk_fwd(o.address(), GlaArgs.addr(hT), c.q(), c.k(),
            c.v(), c.g(), c.h0(), c.cu(), a.dtype(), a.gDtype(), scale, a.B(), a.T(), a.H(), a.K(), a.V(), a.N(),
            ws.address(), bytes, b.stream()), op);
      }
    }
  }

  /** Gradients of sum(o * dO) + sum(hT * dhT) (dhT null: no gradient on the final state). */
  public static Grads backward(Tensor dO, Tensor dhT, Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0,
      Tensor cuSeqlens, double scale) {
    GlaArgs a = GlaArgs.of("gla_chunk backward", q, k, v, g, h0, cuSeqlens);
    Tensor dq = Tensor.empty(q.dtype(), q.device(), q.shapeRef());
    Tensor dk = Tensor.empty(q.dtype(), q.device(), q.shapeRef());
    Tensor dv = Tensor.empty(q.dtype(), q.device(), v.shapeRef());
    Tensor dg = Tensor.empty(g.dtype(), q.device(), q.shapeRef());
    Tensor dh0 = Tensor.empty(a.stateDType(), q.device(), a.stateShape());
    backwardInto(dq, dk, dv, dg, dh0, dO, dhT, q, k, v, g, h0, cuSeqlens, scale);
    return new Grads(dq, dk, dv, dg, dh0);
  }

  /** Writes dq, dk, dv, dg and (when not null) dh0; dh0 may be dhT itself. */
  public static void backwardInto(Tensor dq, Tensor dk, Tensor dv, Tensor dg, Tensor dh0, Tensor dO, Tensor dhT,
      Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0, Tensor cuSeqlens, double scale) {
    String op = "gla_chunk backward";
    GlaArgs a = GlaArgs.of(op, q, k, v, g, h0, cuSeqlens);
    a.output(op, "dq", dq, q.dtype(), q.shapeRef());
    a.output(op, "dk", dk, q.dtype(), q.shapeRef());
    a.output(op, "dv", dv, q.dtype(), v.shapeRef());
    a.output(op, "dg", dg, g.dtype(), q.shapeRef());
    a.output(op, "dh0", dh0, a.stateDType(), a.stateShape());
    a.input(op, "dO", dO, q.dtype(), v.shapeRef());
    a.input(op, "dhT", dhT, a.stateDType(), a.stateShape());
    logVariant(op, q);
    try (GlaArgs.Contiguous c = a.contiguous();
        Tensor doc = dO.contiguous();
        Tensor dhtc = dhT == null ? null : dhT.contiguous()) {
      if (!q.device().isCuda()) {
        NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_bwd(dq.address(), dk.address(), dv.address(),
            dg.address(), GlaArgs.addr(dh0), c.q(), c.k(), c.v(), c.g(), c.h0(), doc.address(), GlaArgs.addr(dhtc),
            c.cu(), a.dtype(), a.gDtype(), scale, a.B(), a.T(), a.H(), a.K(), a.V(), a.N()), op);
        return;
      }
      CudaBackend b = cuda(op, q);
      long bytes = backwardWorkspaceBytes(q.dtype(), a.B(), a.T(), a.H(), a.K(), a.V(), a.N(), cuSeqlens != null);
      try (Tensor ws = workspace(q.device(), bytes)) {
        NativeCall.checkCuda(GlaCudaNative.statex_cuda_gla_chunk_bwd(dq.address(), dk.address(), dv.address(),
            dg.address(), GlaArgs.addr(dh0), c.q(), c.k(), c.v(), c.g(), c.h0(), doc.address(), GlaArgs.addr(dhtc),
            c.cu(), a.dtype(), a.gDtype(), scale, a.B(), a.T(), a.H(), a.K(), a.V(), a.N(), ws.address(), bytes,
            b.stream()), op);
      }
    }
  }

  /**
   * One decode step for N sequences: q, k, g [N, H, K], v [N, H, V]; state [N, H, K, V] F32 (F64
   * for F64 inputs; contiguous) is updated in place. Returns o [N, H, V].
   */
  public static Tensor step(Tensor state, Tensor q, Tensor k, Tensor v, Tensor g, double scale) {
    Checks.floatDType("gla step", "q", q);
    Checks.rank("gla step", "q", q, 3);
    Checks.notNull("gla step", "v", v);
    Checks.rank("gla step", "v", v, 3);
    Tensor o = Tensor.empty(q.dtype(), q.device(), q.size(0), q.size(1), v.size(2));
    stepInto(o, state, q, k, v, g, scale);
    return o;
  }

  public static void stepInto(Tensor o, Tensor state, Tensor q, Tensor k, Tensor v, Tensor g, double scale) {
    String op = "gla step";
    GlaArgs.StepShape s = GlaArgs.step(op, o, state, q, k, v, g);
    logVariant(op, q);
    try (Tensor qc = q.contiguous();
        Tensor kc = k.contiguous();
        Tensor vc = v.contiguous();
        Tensor gc = g.contiguous()) {
      if (!q.device().isCuda()) {
        NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_step(o.address(), state.address(), qc.address(),
            kc.address(), vc.address(), gc.address(), q.dtype().code(), g.dtype().code(), scale, s.N(), s.H(), s.K(),
            s.V()), op);
        return;
      }
      CudaBackend b = cuda(op, q);
      NativeCall.checkCuda(GlaCudaNative.statex_cuda_gla_step(o.address(), state.address(), qc.address(),
          kc.address(), vc.address(), gc.address(), q.dtype().code(), g.dtype().code(), scale, s.N(), s.H(), s.K(),
          s.V(), b.stream()), op);
    }
  }

  /** The first call of each op, device and dtype says which kernels it runs. */
  private static void logVariant(String op, Tensor q) {
    if (LOGGED.add(op + " " + q.device() + " " + q.dtype())) {
      LOG.log(Level.INFO, "{0} on {1} with {2} inputs: {3}", op, q.device(), q.dtype(), variant(q.device(), q.dtype()));
    }
  }

  /** The device's backend, current on this thread. */
  private static CudaBackend cuda(String op, Tensor q) {
    CudaBackend b = Backends.cuda(q.device().index());
    b.makeCurrent();
    return b;
  }

  /** At least {@code bytes} of device memory (256-byte aligned, as the allocator hands out). */
  private static Tensor workspace(Device device, long bytes) {
    return Tensor.empty(DType.F32, device, Math.max(1, (bytes + 3) / 4));
  }

  // ---------------------------------------------------------------- differentiable (Var) form

  /**
   * The chunked GLA recorded for backward: returns {o, hT} (hT null unless finalState). h0 (a Var
   * or null) receives a gradient when it requires one; cuSeqlens packs sequences as in
   * {@link #forward}.
   */
  public static Var[] apply(Var q, Var k, Var v, Var g, Var h0, Tensor cuSeqlens, double scale, boolean finalState) {
    Tensor qv = q.value(), kv = k.value(), vv = v.value(), gv = g.value(), hv = h0 == null ? null : h0.value();
    Result r = forward(qv, kv, vv, gv, hv, cuSeqlens, scale, finalState);
    return Tape.record("gla_chunk", new Var[] {q, k, v, g, h0}, new Tensor[] {r.o(), r.hT()}, (gr, needs) -> {
      Grads d = backward(gr[0], gr[1], qv, kv, vv, gv, hv, cuSeqlens, scale);
      Tensor dh0 = d.dh0();
      if (h0 == null) {
        dh0.close();
        dh0 = null;
      }
      return new Tensor[] {d.dq(), d.dk(), d.dv(), d.dg(), dh0};
    });
  }
}

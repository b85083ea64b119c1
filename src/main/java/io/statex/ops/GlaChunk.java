package io.statex.ops;

import io.statex.jni.GlaCpuNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * Chunked gated linear attention (statex/gla.h): S_t = diag(e^{g_t}) S_{t-1} + k_t v_t^T,
 * o_t = scale S_t^T q_t, per sequence and head, with fp32 states.
 *
 * <p>Shapes: q, k, g [B, T, H, K]; v, o [B, T, H, V]; h0, hT [N, H, K, V] F32. q, k, v share a
 * float dtype; g is F32 or that dtype. cuSeqlens (I64 [N + 1], B = 1) packs N sequences along T;
 * without it N = B. Optional tensors are null. Inputs may be views (they are made contiguous);
 * outputs given to the {@code ...Into} entries must be contiguous. The calls run on the tensors'
 * device (CUDA: queued on the device's compute stream).
 */
public final class GlaChunk {
  private GlaChunk() {}

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
    Tensor hT = finalState ? Tensor.empty(DType.F32, q.device(), a.stateShape()) : null;
    forwardInto(o, hT, q, k, v, g, h0, cuSeqlens, scale);
    return new Result(o, hT);
  }

  /** Writes o and (when not null) hT; hT may be h0 itself (the state is then updated in place). */
  public static void forwardInto(Tensor o, Tensor hT, Tensor q, Tensor k, Tensor v, Tensor g, Tensor h0,
      Tensor cuSeqlens, double scale) {
    String op = "gla_chunk forward";
    GlaArgs a = GlaArgs.of(op, q, k, v, g, h0, cuSeqlens);
    a.output(op, "o", o, q.dtype(), a.B(), a.T(), a.H(), a.V());
    a.output(op, "hT", hT, DType.F32, a.stateShape());
    try (GlaArgs.Contiguous c = a.contiguous()) {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_fwd(o.address(), GlaArgs.addr(hT), c.q(), c.k(), c.v(),
          c.g(), c.h0(), c.cu(), a.dtype(), a.gDtype(), scale, a.B(), a.T(), a.H(), a.K(), a.V(), a.N()), op);
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
    Tensor dh0 = Tensor.empty(DType.F32, q.device(), a.stateShape());
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
    a.output(op, "dh0", dh0, DType.F32, a.stateShape());
    a.input(op, "dO", dO, q.dtype(), v.shapeRef());
    a.input(op, "dhT", dhT, DType.F32, a.stateShape());
    try (GlaArgs.Contiguous c = a.contiguous();
        Tensor doc = dO.contiguous();
        Tensor dhtc = dhT == null ? null : dhT.contiguous()) {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_bwd(dq.address(), dk.address(), dv.address(),
          dg.address(), GlaArgs.addr(dh0), c.q(), c.k(), c.v(), c.g(), c.h0(), doc.address(), GlaArgs.addr(dhtc),
          c.cu(), a.dtype(), a.gDtype(), scale, a.B(), a.T(), a.H(), a.K(), a.V(), a.N()), op);
    }
  }

  /**
   * One decode step for N sequences: q, k, g [N, H, K], v [N, H, V]; state [N, H, K, V] F32
   * (contiguous) is updated in place. Returns o [N, H, V].
   */
  public static Tensor step(Tensor state, Tensor q, Tensor k, Tensor v, Tensor g, double scale) {
    Checks.floatDType("gla step", "q", q);
    Tensor o = Tensor.empty(q.dtype(), q.device(), q.size(0), q.size(1), v.size(-1));
    stepInto(o, state, q, k, v, g, scale);
    return o;
  }

  public static void stepInto(Tensor o, Tensor state, Tensor q, Tensor k, Tensor v, Tensor g, double scale) {
    String op = "gla step";
    GlaArgs.StepShape s = GlaArgs.step(op, o, state, q, k, v, g);
    try (Tensor qc = q.contiguous();
        Tensor kc = k.contiguous();
        Tensor vc = v.contiguous();
        Tensor gc = g.contiguous()) {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_step(o.address(), state.address(), qc.address(), kc.address(),
          vc.address(), gc.address(), q.dtype().code(), g.dtype().code(), scale, s.N(), s.H(), s.K(), s.V()), op);
    }
  }

  static String shape(long... s) {
    return Arrays.toString(s);
  }
}

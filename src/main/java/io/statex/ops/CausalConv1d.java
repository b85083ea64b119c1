package io.statex.ops;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.backend.CudaBackend;
import io.statex.jni.Conv1dCpuNative;
import io.statex.jni.Conv1dCudaNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;

/**
 * Depthwise causal conv1d as Mamba2 applies it to xBC (statex/conv1d.h, docs/kernels/causal_conv1d.md):
 * {@code out[t, c] = act(bias[c] + sum_k weight[c, k] x[t - (W-1) + k, c])}, act = SiLU or identity, taps never
 * crossing a sequence start. x and out [B,T,Ch] channels last (F32 or BF16), weight [Ch, W] F32 with W in 2..4,
 * bias [Ch] F32 (optional), cu_seqlens I64 [S+1] for packed sequences (B = 1). The decode state is [B, W-1, Ch] in
 * x's dtype, oldest input first; the forward returns it for every sequence when asked. On the CPU x may be F64: then
 * weight, bias and their gradients are F64 too ({@link DType#wide}) and everything runs in double.
 */
public final class CausalConv1d {
  private CausalConv1d() {}

  /** out [B,T,Ch]; finalState [S, W-1, Ch] (x's dtype) or null. */
  public record Result(Tensor out, Tensor finalState) implements AutoCloseable {
    @Override
    public void close() {
      SsdChunk.closeAll(out, finalState);
    }
  }

  /** dx like x, dweight [Ch, W] and dbias [Ch] (null without bias) of x's wide dtype. */
  public record Grads(Tensor dx, Tensor dweight, Tensor dbias) implements AutoCloseable {
    @Override
    public void close() {
      SsdChunk.closeAll(dx, dweight, dbias);
    }
  }

  private record Dims(long b, long t, long ch, long w, long nseq, long seqs) {}

  public static Result forward(Tensor x, Tensor weight, Tensor bias, Tensor cuSeqlens, boolean silu, boolean finalState) {
    String op = "causal_conv1d forward";
    Dims d = validate(op, x, weight, bias, cuSeqlens);
    Tensor out = Tensor.empty(x.dtype(), x.device(), x.shapeRef());
    Tensor fin = finalState ? Tensor.empty(x.dtype(), x.device(), d.seqs(), d.w() - 1, d.ch()) : null;
    try (Tensor xc = x.contiguous();
        Tensor wc = weight.contiguous();
        Tensor bc = bias == null ? null : bias.contiguous();
        Tensor cc = cuSeqlens == null ? null : cuSeqlens.contiguous()) {
      int act = silu ? 1 : 0;
      if (x.device().isCuda()) {
        CudaBackend be = SsdChunk.cuda(x.device());
        NativeCall.checkCuda(Conv1dCudaNative.statex_cuda_causal_conv1d_fwd(out.address(), SsdChunk.addr(fin),
            xc.address(), wc.address(), SsdChunk.addr(bc), SsdChunk.addr(cc), d.b(), d.t(), d.ch(), d.w(), d.nseq(),
            x.dtype().code(), act, be.stream()), op);
      } else {
        NativeCall.checkCpu(Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(out.address(), SsdChunk.addr(fin),
            xc.address(), wc.address(), SsdChunk.addr(bc), SsdChunk.addr(cc), d.b(), d.t(), d.ch(), d.w(), d.nseq(),
            x.dtype().code(), act), op);
      }
    } catch (RuntimeException e) {
      SsdChunk.closeAll(out, fin);
      throw e;
    }
    return new Result(out, fin);
  }

  public static Grads backward(Tensor dout, Tensor x, Tensor weight, Tensor bias, Tensor cuSeqlens, boolean silu) {
    String op = "causal_conv1d backward";
    Dims d = validate(op, x, weight, bias, cuSeqlens);
    Checks.notNull(op, "dout", dout);
    Checks.sameDType(op, "dout", dout, "x", x);
    Checks.sameDevice(op, "dout", dout, "x", x);
    Checks.shape(op, "dout", dout, x.shapeRef());
    Device dev = x.device();
    Tensor dx = Tensor.empty(x.dtype(), dev, x.shapeRef());
    Tensor dw = Tensor.empty(x.dtype().wide(), dev, d.ch(), d.w());
    Tensor db = bias == null ? null : Tensor.empty(x.dtype().wide(), dev, d.ch());
    Grads g = new Grads(dx, dw, db);
    try (Tensor xc = x.contiguous();
        Tensor dc = dout.contiguous();
        Tensor wc = weight.contiguous();
        Tensor bc = bias == null ? null : bias.contiguous();
        Tensor cc = cuSeqlens == null ? null : cuSeqlens.contiguous()) {
      int act = silu ? 1 : 0;
      if (dev.isCuda()) {
        CudaBackend be = SsdChunk.cuda(dev);
        long[] bytes = new long[1];
        NativeCall.checkCuda(Conv1dCudaNative.statex_cuda_causal_conv1d_bwd_workspace_size(bytes, d.b(), d.t(), d.ch(),
            d.w()), op);
        try (Tensor ws = Tensor.empty(DType.F32, dev, Math.max(1, (bytes[0] + 3) / 4))) {
          NativeCall.checkCuda(Conv1dCudaNative.statex_cuda_causal_conv1d_bwd(dx.address(), dw.address(),
              SsdChunk.addr(db), dc.address(), xc.address(), wc.address(), SsdChunk.addr(bc), SsdChunk.addr(cc), d.b(),
              d.t(), d.ch(), d.w(), d.nseq(), x.dtype().code(), act, ws.address(), SsdChunk.bytes(ws), be.stream()),
              op);
        }
      } else {
        NativeCall.checkCpu(Conv1dCpuNative.statex_cpu_causal_conv1d_bwd(dx.address(), dw.address(), SsdChunk.addr(db),
            dc.address(), xc.address(), wc.address(), SsdChunk.addr(bc), SsdChunk.addr(cc), d.b(), d.t(), d.ch(), d.w(),
            d.nseq(), x.dtype().code(), act), op);
      }
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
    return g;
  }

  /** One decode step: x [B, Ch]; state [B, W-1, Ch] (x's dtype, contiguous) rolls in place. Returns out [B, Ch]. */
  public static Tensor step(Tensor state, Tensor x, Tensor weight, Tensor bias, boolean silu) {
    String op = "causal_conv1d step";
    Checks.floatDType(op, "x", x);
    Checks.rank(op, "x", x, 2);
    long b = x.size(0), ch = x.size(1);
    long w = checkWeight(op, x, weight, bias, ch);
    Checks.notNull(op, "state", state);
    Checks.sameDType(op, "state", state, "x", x);
    Checks.sameDevice(op, "state", state, "x", x);
    Checks.shape(op, "state", state, b, w - 1, ch);
    if (!state.isContiguous()) {
      throw new IllegalArgumentException(op + ": state must be contiguous (it is updated in place)");
    }
    Tensor out = Tensor.empty(x.dtype(), x.device(), b, ch);
    try (Tensor xc = x.contiguous();
        Tensor wc = weight.contiguous();
        Tensor bc = bias == null ? null : bias.contiguous()) {
      int act = silu ? 1 : 0;
      if (x.device().isCuda()) {
        CudaBackend be = SsdChunk.cuda(x.device());
        NativeCall.checkCuda(Conv1dCudaNative.statex_cuda_causal_conv1d_step(out.address(), state.address(),
            xc.address(), wc.address(), SsdChunk.addr(bc), b, ch, w, x.dtype().code(), act, be.stream()), op);
      } else {
        NativeCall.checkCpu(Conv1dCpuNative.statex_cpu_causal_conv1d_step(out.address(), state.address(), xc.address(),
            wc.address(), SsdChunk.addr(bc), b, ch, w, x.dtype().code(), act), op);
      }
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  private static Dims validate(String op, Tensor x, Tensor weight, Tensor bias, Tensor cuSeqlens) {
    Checks.floatDType(op, "x", x);
    Checks.rank(op, "x", x, 3);
    long b = x.size(0), t = x.size(1), ch = x.size(2);
    if (t < 1) {
      throw new IllegalArgumentException(op + ": x needs T >= 1 tokens, got shape " + java.util.Arrays.toString(x.shapeRef()));
    }
    long w = checkWeight(op, x, weight, bias, ch);
    long nseq = 0;
    if (cuSeqlens != null) {
      nseq = SsdChunk.checkCuSeqlens(op, cuSeqlens, x, b, t);
    }
    return new Dims(b, t, ch, w, nseq, nseq > 0 ? nseq : b);
  }

  private static long checkWeight(String op, Tensor x, Tensor weight, Tensor bias, long ch) {
    Checks.dtype(op, "weight", weight, x.dtype().wide());
    Checks.sameDevice(op, "weight", weight, "x", x);
    Checks.rank(op, "weight", weight, 2);
    long w = weight.size(1);
    if (weight.size(0) != ch || w < 2 || w > 4) {
      throw new IllegalArgumentException(op + ": weight must have shape [Ch = " + ch + ", W] with W in 2..4, got "
          + java.util.Arrays.toString(weight.shapeRef()));
    }
    if (bias != null) {
      Checks.dtype(op, "bias", bias, x.dtype().wide());
      Checks.sameDevice(op, "bias", bias, "x", x);
      Checks.shape(op, "bias", bias, ch);
    }
    return w;
  }

  // ---------------------------------------------------------------- differentiable (Var) form

  /** The causal conv1d (optionally with SiLU) recorded for backward; bias may be null. */
  public static Var apply(Var x, Var weight, Var bias, Tensor cuSeqlens, boolean silu) {
    Tensor xv = x.value(), wv = weight.value(), bv = bias == null ? null : bias.value();
    Result r = forward(xv, wv, bv, cuSeqlens, silu, false);
    return Tape.record("causal_conv1d", new Var[] {x, weight, bias}, r.out(), (g, needs) -> {
      Grads d = backward(g[0], xv, wv, bv, cuSeqlens, silu);
      return new Tensor[] {d.dx(), d.dweight(), d.dbias()};
    });
  }
}

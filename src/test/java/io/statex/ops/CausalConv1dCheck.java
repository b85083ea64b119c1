package io.statex.ops;

import io.statex.jni.Conv1dCpuNative;
import io.statex.jni.Conv1dCudaNative;
import io.statex.reference.Conv1dReference;
import io.statex.testing.Buf;
import io.statex.testing.Tolerance;
import java.util.Random;

/** Runs a conv1d case through the C ABI of one backend and compares with the float64 reference. */
final class CausalConv1dCheck {
  private CausalConv1dCheck() {}

  record Inputs(double[] x, double[] w, double[] bias, double[] dout) {}

  static Inputs inputs(CausalConv1dCase c, long seed) {
    Random r = new Random(seed);
    int n = c.B() * c.T() * c.C();
    double[] x = Buf.round(SsdChunkCheck.normal(r, n, 1), c.dtype());
    double[] w = Buf.round(SsdChunkCheck.normal(r, c.C() * c.W(), 0.5), Buf.F32);
    double[] bias = c.bias() ? Buf.round(SsdChunkCheck.normal(r, c.C(), 0.5), Buf.F32) : null;
    double[] dout = Buf.round(SsdChunkCheck.normal(r, n, 1), c.dtype());
    return new Inputs(x, w, bias, dout);
  }

  static void forwardBackward(CausalConv1dCase c, boolean cuda, long seed) {
    Inputs in = inputs(c, seed);
    Conv1dReference.Result ref = Conv1dReference.run(c.offsets(), c.C(), c.W(), in.x(), in.w(), in.bias(), c.silu(),
        in.dout());
    String name = c.toString();
    int n = c.B() * c.T() * c.C(), nseq = c.lens() == null ? 0 : c.lens().length, silu = c.silu() ? 1 : 0;
    try (Buf x = Buf.of(cuda, in.x(), c.dtype()); Buf w = Buf.of(cuda, in.w(), Buf.F32);
        Buf bias = in.bias() == null ? null : Buf.of(cuda, in.bias(), Buf.F32);
        Buf cu = c.lens() == null ? null : Buf.ofLongs(cuda, c.offsets());
        Buf dout = Buf.of(cuda, in.dout(), c.dtype());
        Buf out = Buf.poisoned(cuda, n, c.dtype());
        Buf fin = Buf.poisoned(cuda, (long) c.seqs() * (c.W() - 1) * c.C(), c.dtype());
        Buf dx = Buf.poisoned(cuda, n, c.dtype());
        Buf dw = Buf.poisoned(cuda, c.C() * c.W(), Buf.F32);
        Buf db = bias == null ? null : Buf.poisoned(cuda, c.C(), Buf.F32)) {
      SsdChunkCheck.call(cuda, "causal_conv1d_fwd", cuda
          ? Conv1dCudaNative.statex_cuda_causal_conv1d_fwd(out.addr(), fin.addr(), x.addr(), w.addr(), Buf.addr(bias),
              Buf.addr(cu), c.B(), c.T(), c.C(), c.W(), nseq, c.dtype(), silu, 0)
          : Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(out.addr(), fin.addr(), x.addr(), w.addr(), Buf.addr(bias),
              Buf.addr(cu), c.B(), c.T(), c.C(), c.W(), nseq, c.dtype(), silu));
      Tolerance.check("causal_conv1d_fwd", name, "out", ref.out(), out.toDoubles(), c.dtype());
      Tolerance.check("causal_conv1d_fwd", name, "final_state", ref.fin(), fin.toDoubles(), c.dtype());
      if (cuda) {
        long[] bytes = new long[1];
        SsdChunkCheck.call(true, "causal_conv1d_bwd_workspace_size",
            Conv1dCudaNative.statex_cuda_causal_conv1d_bwd_workspace_size(bytes, c.B(), c.T(), c.C(), c.W()));
        try (Buf ws = Buf.workspace(true, bytes[0])) {
          SsdChunkCheck.call(true, "causal_conv1d_bwd", Conv1dCudaNative.statex_cuda_causal_conv1d_bwd(dx.addr(),
              dw.addr(), Buf.addr(db), dout.addr(), x.addr(), w.addr(), Buf.addr(bias), Buf.addr(cu), c.B(), c.T(),
              c.C(), c.W(), nseq, c.dtype(), silu, ws.addr(), ws.bytes(), 0));
        }
      } else {
        SsdChunkCheck.call(false, "causal_conv1d_bwd", Conv1dCpuNative.statex_cpu_causal_conv1d_bwd(dx.addr(),
            dw.addr(), Buf.addr(db), dout.addr(), x.addr(), w.addr(), Buf.addr(bias), Buf.addr(cu), c.B(), c.T(),
            c.C(), c.W(), nseq, c.dtype(), silu));
      }
      Tolerance.check("causal_conv1d_bwd", name, "dx", ref.dx(), dx.toDoubles(), c.dtype());
      Tolerance.check("causal_conv1d_bwd", name, "dweight", ref.dw(), dw.toDoubles(), c.dtype());
      if (db != null) {
        Tolerance.check("causal_conv1d_bwd", name, "dbias", ref.dbias(), db.toDoubles(), c.dtype());
      }
    }
  }

  /**
   * Forward over the first T - steps tokens (its final state is the decode state), then steps decode calls: their
   * outputs and the rolled state must match the reference over all T tokens.
   */
  static void prefillThenDecode(CausalConv1dCase c, int steps, boolean cuda, long seed) {
    Inputs in = inputs(c, seed);
    int B = c.B(), T = c.T(), C = c.C(), W = c.W(), t0 = T - steps, silu = c.silu() ? 1 : 0;
    Conv1dReference.Result ref = Conv1dReference.run(c.offsets(), C, W, in.x(), in.w(), in.bias(), c.silu(), null);
    double[] xPre = new double[B * t0 * C];
    for (int b = 0; b < B; b++) {
      System.arraycopy(in.x(), b * T * C, xPre, b * t0 * C, t0 * C);
    }
    String name = c + "-decode" + steps;
    try (Buf x = Buf.of(cuda, xPre, c.dtype()); Buf w = Buf.of(cuda, in.w(), Buf.F32);
        Buf bias = in.bias() == null ? null : Buf.of(cuda, in.bias(), Buf.F32);
        Buf out = Buf.poisoned(cuda, (long) B * t0 * C, c.dtype());
        Buf state = Buf.poisoned(cuda, (long) B * (W - 1) * C, c.dtype())) {
      SsdChunkCheck.call(cuda, "causal_conv1d_fwd", cuda
          ? Conv1dCudaNative.statex_cuda_causal_conv1d_fwd(out.addr(), state.addr(), x.addr(), w.addr(),
              Buf.addr(bias), 0, B, t0, C, W, 0, c.dtype(), silu, 0)
          : Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(out.addr(), state.addr(), x.addr(), w.addr(),
              Buf.addr(bias), 0, B, t0, C, W, 0, c.dtype(), silu));
      double[] got = new double[B * steps * C], want = new double[got.length];
      for (int k = 0; k < steps; k++) {
        double[] xk = new double[B * C];
        for (int b = 0; b < B; b++) {
          System.arraycopy(in.x(), (b * T + t0 + k) * C, xk, b * C, C);
          System.arraycopy(ref.out(), (b * T + t0 + k) * C, want, (b * steps + k) * C, C);
        }
        try (Buf x1 = Buf.of(cuda, xk, c.dtype()); Buf o1 = Buf.poisoned(cuda, (long) B * C, c.dtype())) {
          SsdChunkCheck.call(cuda, "causal_conv1d_step", cuda
              ? Conv1dCudaNative.statex_cuda_causal_conv1d_step(o1.addr(), state.addr(), x1.addr(), w.addr(),
                  Buf.addr(bias), B, C, W, c.dtype(), silu, 0)
              : Conv1dCpuNative.statex_cpu_causal_conv1d_step(o1.addr(), state.addr(), x1.addr(), w.addr(),
                  Buf.addr(bias), B, C, W, c.dtype(), silu));
          double[] ok = o1.toDoubles();
          for (int b = 0; b < B; b++) {
            System.arraycopy(ok, b * C, got, (b * steps + k) * C, C);
          }
        }
      }
      Tolerance.check("causal_conv1d_step", name, "out", want, got, c.dtype());
      Tolerance.check("causal_conv1d_step", name, "conv_state", ref.fin(), state.toDoubles(), c.dtype());
    }
  }
}

package io.statex.ops;

import io.statex.jni.CudaNative;
import io.statex.jni.NativeCall;
import io.statex.jni.SsdCpuNative;
import io.statex.jni.SsdCudaNative;
import io.statex.reference.SsdReference;
import io.statex.testing.Buf;
import io.statex.testing.Tolerance;
import java.util.Random;

/**
 * Runs an SSD case through the C ABI of one backend (CPU or CUDA) and compares every output and gradient with the
 * float64 reference. Outputs, gradients and workspaces are poisoned (NaN bytes) before each call.
 */
final class SsdChunkCheck {
  static final float DT_MIN = 0.03f;
  static final float DT_MAX = 0.2f;

  /** Random inputs of a case, rounded to the dtypes the kernels see. */
  record Inputs(SsdReference.Problem problem, double[] dy, double[] dFin) {}

  private SsdChunkCheck() {}

  static Inputs inputs(SsdChunkCase c, long seed) {
    Random r = new Random(seed);
    int tokens = c.B() * c.T();
    double[] x = Buf.round(normal(r, tokens * c.H() * c.P(), 1), c.dtype());
    double[] dt = new double[tokens * c.H()];
    for (int i = 0; i < dt.length; i++) {
      dt[i] = c.softplus() ? r.nextGaussian() * 0.5 - 2.5 : 0.005 + 0.15 * r.nextDouble();
    }
    dt = Buf.round(dt, c.dtDtype());
    double[] bias = null;
    if (c.bias()) {
      bias = new double[c.H()];
      for (int h = 0; h < c.H(); h++) {
        bias[h] = Buf.round(c.softplus() ? r.nextDouble() - 0.5 : 0.05 * r.nextDouble(), Buf.F32);
      }
    }
    double[] a = new double[c.H()];
    for (int h = 0; h < c.H(); h++) {
      a[h] = Buf.round(-(0.1 + 1.9 * r.nextDouble()), Buf.F32);
    }
    double[] b = Buf.round(normal(r, tokens * c.G() * c.N(), 0.5), c.dtype());
    double[] cm = Buf.round(normal(r, tokens * c.G() * c.N(), 0.5), c.dtype());
    double[] d = c.D() ? Buf.round(normal(r, c.H(), 1), Buf.F32) : null;
    int stateLen = c.seqs() * c.H() * c.P() * c.N();
    double[] init = c.init() ? Buf.round(normal(r, stateLen, 0.5), Buf.F32) : null;
    SsdReference.Problem p = new SsdReference.Problem(c.H(), c.P(), c.N(), c.G(), c.offsets(), x, dt, bias, a, b, cm,
        d, init, c.softplus(), c.limits() ? DT_MIN : 0, c.limits() ? DT_MAX : Double.POSITIVE_INFINITY);
    double[] dy = Buf.round(normal(r, x.length, 1), c.dtype());
    double[] dFin = c.fin() ? Buf.round(normal(r, stateLen, 1), Buf.F32) : null;
    return new Inputs(p, dy, dFin);
  }

  static double[] normal(Random r, int n, double std) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * std;
    }
    return v;
  }

  /** Forward and backward of one case on one backend against the reference. */
  static void forwardBackward(SsdChunkCase c, boolean cuda, long seed) {
    Inputs in = inputs(c, seed);
    SsdReference.Problem p = in.problem();
    SsdReference.Result ref = SsdReference.run(p, in.dy(), in.dFin());
    String name = c.toString();
    int tok = c.B() * c.T(), stateLen = c.seqs() * c.H() * c.P() * c.N();
    try (Bufs b = new Bufs(c, p, cuda)) {
      try (Buf y = Buf.poisoned(cuda, (long) tok * c.H() * c.P(), c.dtype());
          Buf fin = c.fin() ? Buf.poisoned(cuda, stateLen, Buf.F32) : null;
          Buf ws = Buf.workspace(cuda, workspace(c, cuda, false))) {
        call(cuda, "ssd_chunk_fwd", cuda
            ? SsdCudaNative.statex_cuda_ssd_chunk_fwd(y.addr(), Buf.addr(fin), b.x.addr(), b.dt.addr(), Buf.addr(b.bias),
                b.a.addr(), b.b.addr(), b.c.addr(), Buf.addr(b.d), Buf.addr(b.init), Buf.addr(b.cu), c.B(), c.T(), c.H(),
                c.P(), c.N(), c.G(), nseq(c), c.dtype(), c.dtDtype(), c.Q(), c.softplus() ? 1 : 0, dtMin(c), dtMax(c),
                ws.addr(), ws.bytes(), 0)
            : SsdCpuNative.statex_cpu_ssd_chunk_fwd(y.addr(), Buf.addr(fin), b.x.addr(), b.dt.addr(), Buf.addr(b.bias),
                b.a.addr(), b.b.addr(), b.c.addr(), Buf.addr(b.d), Buf.addr(b.init), Buf.addr(b.cu), c.B(), c.T(), c.H(),
                c.P(), c.N(), c.G(), nseq(c), c.dtype(), c.dtDtype(), c.Q(), c.softplus() ? 1 : 0, dtMin(c), dtMax(c),
                ws.addr(), ws.bytes()));
        Tolerance.check("ssd_chunk_fwd", name, "y", ref.y(), y.toDoubles(), c.dtype());
        if (fin != null) {
          Tolerance.check("ssd_chunk_fwd", name, "final_state", ref.fin(), fin.toDoubles(), c.dtype());
        }
      }
      try (Buf dy = Buf.of(cuda, in.dy(), c.dtype());
          Buf dFin = c.fin() ? Buf.of(cuda, in.dFin(), Buf.F32) : null;
          Buf dx = Buf.poisoned(cuda, (long) tok * c.H() * c.P(), c.dtype());
          Buf ddt = Buf.poisoned(cuda, (long) tok * c.H(), c.dtDtype());
          Buf dA = Buf.poisoned(cuda, c.H(), Buf.F32);
          Buf dB = Buf.poisoned(cuda, (long) tok * c.G() * c.N(), c.dtype());
          Buf dC = Buf.poisoned(cuda, (long) tok * c.G() * c.N(), c.dtype());
          Buf dD = c.D() ? Buf.poisoned(cuda, c.H(), Buf.F32) : null;
          Buf dBias = c.bias() ? Buf.poisoned(cuda, c.H(), Buf.F32) : null;
          Buf dInit = Buf.poisoned(cuda, stateLen, Buf.F32);
          Buf ws = Buf.workspace(cuda, workspace(c, cuda, true))) {
        call(cuda, "ssd_chunk_bwd", cuda
            ? SsdCudaNative.statex_cuda_ssd_chunk_bwd(dx.addr(), ddt.addr(), dA.addr(), dB.addr(), dC.addr(),
                Buf.addr(dD), Buf.addr(dBias), dInit.addr(), dy.addr(), Buf.addr(dFin), b.x.addr(), b.dt.addr(),
                Buf.addr(b.bias), b.a.addr(), b.b.addr(), b.c.addr(), Buf.addr(b.d), Buf.addr(b.init), Buf.addr(b.cu),
                c.B(), c.T(), c.H(), c.P(), c.N(), c.G(), nseq(c), c.dtype(), c.dtDtype(), c.Q(), c.softplus() ? 1 : 0,
                dtMin(c), dtMax(c), ws.addr(), ws.bytes(), 0)
            : SsdCpuNative.statex_cpu_ssd_chunk_bwd(dx.addr(), ddt.addr(), dA.addr(), dB.addr(), dC.addr(),
                Buf.addr(dD), Buf.addr(dBias), dInit.addr(), dy.addr(), Buf.addr(dFin), b.x.addr(), b.dt.addr(),
                Buf.addr(b.bias), b.a.addr(), b.b.addr(), b.c.addr(), Buf.addr(b.d), Buf.addr(b.init), Buf.addr(b.cu),
                c.B(), c.T(), c.H(), c.P(), c.N(), c.G(), nseq(c), c.dtype(), c.dtDtype(), c.Q(), c.softplus() ? 1 : 0,
                dtMin(c), dtMax(c), ws.addr(), ws.bytes()));
        String op = "ssd_chunk_bwd";
        Tolerance.check(op, name, "dx", ref.dx(), dx.toDoubles(), c.dtype());
        Tolerance.check(op, name, "ddt", ref.ddt(), ddt.toDoubles(), c.dtype());
        Tolerance.check(op, name, "dA", ref.dA(), dA.toDoubles(), c.dtype());
        Tolerance.check(op, name, "dB", ref.dB(), dB.toDoubles(), c.dtype());
        Tolerance.check(op, name, "dC", ref.dC(), dC.toDoubles(), c.dtype());
        if (dD != null) {
          Tolerance.check(op, name, "dD", ref.dD(), dD.toDoubles(), c.dtype());
        }
        if (dBias != null) {
          Tolerance.check(op, name, "ddt_bias", ref.dBias(), dBias.toDoubles(), c.dtype());
        }
        Tolerance.check(op, name, "dinitial_state", ref.dInit(), dInit.toDoubles(), c.dtype());
      }
    }
  }

  /**
   * Prefill with the chunked forward (final state), then decode the last `steps` tokens one at a time: the step
   * outputs and the state must match the reference over the whole sequence.
   */
  static void prefillThenDecode(SsdChunkCase c, int steps, boolean cuda, long seed) {
    Inputs in = inputs(c, seed);
    SsdReference.Problem p = in.problem();
    SsdReference.Result ref = SsdReference.run(p, null, null);
    int B = c.B(), T = c.T(), H = c.H(), P = c.P(), N = c.N(), G = c.G(), t0 = T - steps;
    SsdChunkCase pre = new SsdChunkCase(B, t0, H, P, N, G, c.Q(), c.dtype(), c.dtDtype(), null, c.D(), c.bias(),
        c.softplus(), c.limits(), c.init(), true);
    double[] yRef = new double[B * steps * H * P];
    for (int b = 0; b < B; b++) {
      System.arraycopy(ref.y(), (b * T + t0) * H * P, yRef, b * steps * H * P, steps * H * P);
    }
    try (Bufs bu = new Bufs(pre, slice(p, B, T, 0, t0), cuda);
        Buf y = Buf.poisoned(cuda, (long) B * t0 * H * P, c.dtype());
        Buf state = Buf.poisoned(cuda, (long) B * H * P * N, Buf.F32);
        Buf ws = Buf.workspace(cuda, workspace(pre, cuda, false))) {
      call(cuda, "ssd_chunk_fwd", cuda
          ? SsdCudaNative.statex_cuda_ssd_chunk_fwd(y.addr(), state.addr(), bu.x.addr(), bu.dt.addr(),
              Buf.addr(bu.bias), bu.a.addr(), bu.b.addr(), bu.c.addr(), Buf.addr(bu.d), Buf.addr(bu.init), 0, B, t0, H,
              P, N, G, 0, c.dtype(), c.dtDtype(), c.Q(), c.softplus() ? 1 : 0, dtMin(c), dtMax(c), ws.addr(),
              ws.bytes(), 0)
          : SsdCpuNative.statex_cpu_ssd_chunk_fwd(y.addr(), state.addr(), bu.x.addr(), bu.dt.addr(),
              Buf.addr(bu.bias), bu.a.addr(), bu.b.addr(), bu.c.addr(), Buf.addr(bu.d), Buf.addr(bu.init), 0, B, t0, H,
              P, N, G, 0, c.dtype(), c.dtDtype(), c.Q(), c.softplus() ? 1 : 0, dtMin(c), dtMax(c), ws.addr(),
              ws.bytes()));
      double[] yOut = new double[B * steps * H * P];
      for (int k = 0; k < steps; k++) {
        SsdReference.Problem one = slice(p, B, T, t0 + k, t0 + k + 1);
        try (Buf x1 = Buf.of(cuda, one.x(), c.dtype());
            Buf dt1 = Buf.of(cuda, one.dt(), c.dtDtype());
            Buf b1 = Buf.of(cuda, one.B(), c.dtype());
            Buf c1 = Buf.of(cuda, one.C(), c.dtype());
            Buf y1 = Buf.poisoned(cuda, (long) B * H * P, c.dtype())) {
          call(cuda, "ssd_step", cuda
              ? SsdCudaNative.statex_cuda_ssd_step(y1.addr(), state.addr(), x1.addr(), dt1.addr(), Buf.addr(bu.bias),
                  bu.a.addr(), b1.addr(), c1.addr(), Buf.addr(bu.d), B, H, P, N, G, c.dtype(), c.dtDtype(),
                  c.softplus() ? 1 : 0, dtMin(c), dtMax(c), 0)
              : SsdCpuNative.statex_cpu_ssd_step(y1.addr(), state.addr(), x1.addr(), dt1.addr(), Buf.addr(bu.bias),
                  bu.a.addr(), b1.addr(), c1.addr(), Buf.addr(bu.d), B, H, P, N, G, c.dtype(), c.dtDtype(),
                  c.softplus() ? 1 : 0, dtMin(c), dtMax(c)));
          double[] yk = y1.toDoubles();
          for (int b = 0; b < B; b++) {
            System.arraycopy(yk, b * H * P, yOut, (b * steps + k) * H * P, H * P);
          }
        }
      }
      Tolerance.check("ssd_step", c + "-decode" + steps, "y", yRef, yOut, c.dtype());
      Tolerance.check("ssd_step", c + "-decode" + steps, "state", ref.fin(), state.toDoubles(), c.dtype());
    }
  }

  /** Tokens [from, to) of every batch row of p (rows of length T), as a problem with rows of to - from tokens. */
  static SsdReference.Problem slice(SsdReference.Problem p, int B, int T, int from, int to) {
    int H = p.H(), P = p.P(), GN = p.G() * p.N(), L = to - from;
    double[] x = new double[B * L * H * P], dt = new double[B * L * H], b = new double[B * L * GN], c = new double[b.length];
    long[] seq = new long[B + 1];
    for (int r = 0; r < B; r++) {
      System.arraycopy(p.x(), (r * T + from) * H * P, x, r * L * H * P, L * H * P);
      System.arraycopy(p.dt(), (r * T + from) * H, dt, r * L * H, L * H);
      System.arraycopy(p.B(), (r * T + from) * GN, b, r * L * GN, L * GN);
      System.arraycopy(p.C(), (r * T + from) * GN, c, r * L * GN, L * GN);
      seq[r + 1] = seq[r] + L;
    }
    return new SsdReference.Problem(H, P, p.N(), p.G(), seq, x, dt, p.dtBias(), p.A(), b, c, p.D(), p.init(),
        p.softplus(), p.dtMin(), p.dtMax());
  }

  static int nseq(SsdChunkCase c) {
    return c.lens() == null ? 0 : c.lens().length;
  }

  static float dtMin(SsdChunkCase c) {
    return c.limits() ? DT_MIN : 0f;
  }

  static float dtMax(SsdChunkCase c) {
    return c.limits() ? DT_MAX : Float.POSITIVE_INFINITY;
  }

  static long workspace(SsdChunkCase c, boolean cuda, boolean bwd) {
    long[] bytes = new long[1];
    int st;
    if (cuda) {
      st = bwd
          ? SsdCudaNative.statex_cuda_ssd_chunk_bwd_workspace_size(bytes, c.B(), c.T(), c.H(), c.P(), c.N(), c.G(), nseq(c), c.Q())
          : SsdCudaNative.statex_cuda_ssd_chunk_fwd_workspace_size(bytes, c.B(), c.T(), c.H(), c.P(), c.N(), c.G(), nseq(c), c.Q());
    } else {
      st = bwd
          ? SsdCpuNative.statex_cpu_ssd_chunk_bwd_workspace_size(bytes, c.B(), c.T(), c.H(), c.P(), c.N(), c.G(), nseq(c), c.Q())
          : SsdCpuNative.statex_cpu_ssd_chunk_fwd_workspace_size(bytes, c.B(), c.T(), c.H(), c.P(), c.N(), c.G(), nseq(c), c.Q());
    }
    call(cuda, "ssd workspace size", st);
    return bytes[0];
  }

  static void call(boolean cuda, String op, int status) {
    if (cuda) {
      NativeCall.checkCuda(status, op);
      NativeCall.checkCuda(CudaNative.statex_cuda_stream_synchronize(0), op + " (synchronize)");
    } else {
      NativeCall.checkCpu(status, op);
    }
  }

  /** The inputs of a problem in native memory. */
  static final class Bufs implements AutoCloseable {
    final Buf x, dt, bias, a, b, c, d, init, cu;

    Bufs(SsdChunkCase k, SsdReference.Problem p, boolean cuda) {
      x = Buf.of(cuda, p.x(), k.dtype());
      dt = Buf.of(cuda, p.dt(), k.dtDtype());
      bias = p.dtBias() == null ? null : Buf.of(cuda, p.dtBias(), Buf.F32);
      a = Buf.of(cuda, p.A(), Buf.F32);
      b = Buf.of(cuda, p.B(), k.dtype());
      c = Buf.of(cuda, p.C(), k.dtype());
      d = p.D() == null ? null : Buf.of(cuda, p.D(), Buf.F32);
      init = p.init() == null ? null : Buf.of(cuda, p.init(), Buf.F32);
      cu = k.lens() == null ? null : Buf.ofLongs(cuda, k.offsets());
    }

    @Override
    public void close() {
      for (Buf buf : new Buf[] {x, dt, bias, a, b, c, d, init, cu}) {
        if (buf != null) {
          buf.close();
        }
      }
    }
  }
}

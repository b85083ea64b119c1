package io.statex.ops;

import static io.statex.testing.Arrays64.normal;
import static io.statex.testing.Arrays64.rounded;
import static io.statex.testing.Arrays64.tensor;
import static io.statex.testing.Arrays64.uniform;

import io.statex.reference.SsdReference;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Compare;
import io.statex.testing.Seeds;
import io.statex.testing.Tolerance;
import java.util.Random;

/**
 * Runs an SSD case through {@link SsdChunk} on a device and compares every output and gradient with the float64
 * reference. The test JVM runs with statex.poison: outputs, gradients and workspaces start as NaN, so an element a
 * kernel does not write (or a workspace read before its write) fails the comparison.
 */
final class SsdChunkCheck {
  static final float DT_MIN = 0.03f;
  static final float DT_MAX = 0.2f;

  /** Random inputs of a case, rounded to the dtypes the kernels see, and the cotangents. */
  record Data(SsdReference.Problem problem, double[] dy, double[] dFin) {}

  private SsdChunkCheck() {}

  static SsdChunk.Options options(SsdChunkCase c) {
    return new SsdChunk.Options(c.Q(), c.softplus(), c.limits() ? DT_MIN : 0f,
        c.limits() ? DT_MAX : Float.POSITIVE_INFINITY);
  }

  static Data data(SsdChunkCase c, long seed) {
    Random r = new Random(seed);
    DType wide = c.dtype().wide();
    int tokens = c.B() * c.T(), H = c.H(), stateLen = c.seqs() * H * c.P() * c.N();
    double[] x = rounded(normal(r, tokens * H * c.P(), 1, 0), c.dtype());
    double[] dt = c.softplus() ? normal(r, tokens * H, 0.5, -2.5) : uniform(r, tokens * H,
        0.005, 0.155);
    dt = rounded(dt, c.dtDtype());
    double[] bias = !c.bias() ? null
        : rounded(c.softplus() ? uniform(r, H, -0.5, 0.5)
            : uniform(r, H, 0, 0.05), wide);
    double[] a = rounded(uniform(r, H, -2, -0.1), wide);
    double[] b = rounded(normal(r, tokens * c.G() * c.N(), 0.5, 0), c.dtype());
    double[] cm = rounded(normal(r, tokens * c.G() * c.N(), 0.5, 0), c.dtype());
    double[] d = c.D() ? rounded(normal(r, H, 1, 0), wide) : null;
    double[] init = c.init() ? rounded(normal(r, stateLen, 0.5, 0), wide) : null;
    SsdReference.Problem p = new SsdReference.Problem(H, c.P(), c.N(), c.G(), c.offsets(), x, dt, bias, a, b, cm, d,
        init, c.softplus(), c.limits() ? DT_MIN : 0, c.limits() ? DT_MAX : Double.POSITIVE_INFINITY);
    double[] dy = rounded(normal(r, x.length, 1, 0), c.dtype());
    double[] dFin = c.fin() ? rounded(normal(r, stateLen, 1, 0), wide) : null;
    return new Data(p, dy, dFin);
  }

  /** The problem's inputs as tensors on a device (B rows of T tokens; cu_seqlens for packed cases). */
  static SsdChunk.Inputs inputs(SsdReference.Problem p, SsdChunkCase c, int rows, int t, Device dev, boolean packed) {
    long H = c.H(), P = c.P(), N = c.N(), G = c.G();
    DType wide = c.dtype().wide();
    return new SsdChunk.Inputs(tensor(p.x(), c.dtype(), dev, rows, t, H, P), tensor(p.dt(), c.dtDtype(), dev, rows, t, H),
        tensor(p.dtBias(), wide, dev, H), tensor(p.A(), wide, dev, H), tensor(p.B(), c.dtype(), dev, rows, t, G, N),
        tensor(p.C(), c.dtype(), dev, rows, t, G, N), tensor(p.D(), wide, dev, H),
        tensor(p.init(), wide, dev, p.seq().length - 1, H, P, N),
        packed ? Tensor.ofLongs(p.seq(), p.seq().length).to(dev) : null);
  }

  static String context(String op, SsdChunkCase c, Device dev, long seed, String tensor) {
    return op + " " + c + " on " + dev + " (seed " + seed + ", " + Seeds.describe() + "): " + tensor;
  }

  /** Forward and backward of one case on one device against the reference. */
  static void forwardBackward(SsdChunkCase c, Device dev) {
    long seed = Seeds.fresh("ssd " + c);
    Data data = data(c, seed);
    SsdReference.Result ref = SsdReference.run(data.problem(), data.dy(), data.dFin());
    double tol = Tolerance.relative(c.dtype(), c.accumulation());
    try (TensorScope scope = TensorScope.open()) {
      SsdChunk.Inputs in = inputs(data.problem(), c, c.B(), c.T(), dev, c.lens() != null);
      SsdChunk.Options opt = options(c);
      SsdChunk.Result out = SsdChunk.forward(in, opt, c.fin());
      String f = "ssd_chunk forward";
      Compare.assertClose(context(f, c, dev, seed, "y"), ref.y(), out.y().toDoubleArray(), tol);
      if (c.fin()) {
        Compare.assertClose(context(f, c, dev, seed, "final_state"), ref.fin(), out.finalState().toDoubleArray(),
            tol);
      }
      Tensor dy = tensor(data.dy(), c.dtype(), dev, c.B(), c.T(), c.H(), c.P());
      Tensor dFin = tensor(data.dFin(), c.dtype().wide(), dev, c.seqs(), c.H(), c.P(), c.N());
      SsdChunk.Grads g = SsdChunk.backward(dy, dFin, in, opt, true);
      String b = "ssd_chunk backward";
      Compare.assertClose(context(b, c, dev, seed, "dx"), ref.dx(), g.dx().toDoubleArray(), tol);
      // ddt is stored in dt's dtype: the looser of the two tolerances.
      Compare.assertClose(context(b, c, dev, seed, "ddt"), ref.ddt(), g.ddt().toDoubleArray(),
          Math.max(tol, Tolerance.relative(c.dtDtype(), c.accumulation())));
      // dA, dD, ddt_bias: per-head sums over every token of mixed-sign products, measured against their magnitude.
      Compare.assertSumClose(context(b, c, dev, seed, "dA"), ref.dA(), ref.dAMag(), g.dA().toDoubleArray(), tol);
      Compare.assertClose(context(b, c, dev, seed, "dB"), ref.dB(), g.dB().toDoubleArray(), tol);
      Compare.assertClose(context(b, c, dev, seed, "dC"), ref.dC(), g.dC().toDoubleArray(), tol);
      if (c.D()) {
        Compare.assertSumClose(context(b, c, dev, seed, "dD"), ref.dD(), ref.dDMag(), g.dD().toDoubleArray(), tol);
      }
      if (c.bias()) {
        Compare.assertSumClose(context(b, c, dev, seed, "ddt_bias"), ref.dBias(), ref.dBiasMag(),
            g.ddtBias().toDoubleArray(), tol);
      }
      Compare.assertClose(context(b, c, dev, seed, "dinitial_state"), ref.dInit(), g.dInitialState().toDoubleArray(),
          tol);
    }
  }

  /**
   * Prefill the first T - steps tokens with the chunked forward (its final state), then decode the rest one token at
   * a time: the step outputs and the state must match the reference over the whole sequence.
   */
  static void prefillThenDecode(SsdChunkCase c, int steps, Device dev) {
    long seed = Seeds.fresh("ssd decode " + c);
    SsdReference.Problem p = data(c, seed).problem();
    SsdReference.Result ref = SsdReference.run(p, null, null);
    double tol = Tolerance.relative(c.dtype(), c.accumulation());
    int B = c.B(), T = c.T(), H = c.H(), P = c.P(), t0 = T - steps;
    double[] yRef = new double[B * steps * H * P];
    for (int b = 0; b < B; b++) {
      System.arraycopy(ref.y(), (b * T + t0) * H * P, yRef, b * steps * H * P, steps * H * P);
    }
    try (TensorScope scope = TensorScope.open()) {
      SsdChunk.Options opt = options(c);
      SsdChunk.Inputs pre = inputs(slice(p, B, T, 0, t0), c, B, t0, dev, false);
      Tensor state = SsdChunk.forward(pre, opt, true).finalState();
      double[] yOut = new double[yRef.length];
      for (int k = 0; k < steps; k++) {
        SsdReference.Problem one = slice(p, B, T, t0 + k, t0 + k + 1);
        SsdChunk.Inputs in = inputs(one, c, B, 1, dev, false);
        Tensor y = SsdChunk.step(state, in.x().reshape(B, H, P), in.dt().reshape(B, H), pre.dtBias(), pre.A(),
            in.B().reshape(B, c.G(), c.N()), in.C().reshape(B, c.G(), c.N()), pre.D(), opt);
        double[] yk = y.toDoubleArray();
        for (int b = 0; b < B; b++) {
          System.arraycopy(yk, b * H * P, yOut, (b * steps + k) * H * P, H * P);
        }
      }
      String name = c + "-decode" + steps;
      Compare.assertClose("ssd step " + name + " on " + dev + " (seed " + seed + "): y", yRef, yOut, tol);
      Compare.assertClose("ssd step " + name + " on " + dev + " (seed " + seed + "): state", ref.fin(),
          state.toDoubleArray(), tol);
    }
  }

  /** Tokens [from, to) of every batch row of p (rows of T tokens), as a problem with rows of to - from tokens. */
  static SsdReference.Problem slice(SsdReference.Problem p, int B, int T, int from, int to) {
    int H = p.H(), P = p.P(), GN = p.G() * p.N(), L = to - from;
    double[] x = new double[B * L * H * P], dt = new double[B * L * H], b = new double[B * L * GN];
    double[] c = new double[b.length];
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
}

package io.statex.ops;

import io.statex.reference.GlaReference;
import io.statex.testing.Tolerance;
import java.util.function.Function;

/** Comparisons of GLA results with the reference, shared by the CPU and GPU tests. */
final class GlaChecks {
  private GlaChecks() {}

  static void forward(String what, GlaData d, GlaReference.Outputs got, GlaReference.Outputs ref) {
    GlaCase c = d.c();
    String at = what + " " + c;
    Tolerance.assertClose(at + " o", shapeTV(c, c.V()), got.o(), ref.o(), c.dtype());
    if (c.hT()) {
      Tolerance.assertClose(at + " hT", shapeState(c), got.hT(), ref.hT(), c.dtype());
    }
  }

  static void backward(String what, GlaData d, GlaReference.Grads got, GlaReference.Grads ref) {
    GlaCase c = d.c();
    String at = what + " " + c;
    Tolerance.assertClose(at + " dq", shapeTV(c, c.K()), got.dq(), ref.dq(), c.dtype());
    Tolerance.assertClose(at + " dk", shapeTV(c, c.K()), got.dk(), ref.dk(), c.dtype());
    Tolerance.assertClose(at + " dv", shapeTV(c, c.V()), got.dv(), ref.dv(), c.dtype());
    Tolerance.assertClose(at + " dg", shapeTV(c, c.K()), got.dg(), ref.dg(), c.dtype());
    Tolerance.assertClose(at + " dh0", shapeState(c), got.dh0(), ref.dh0(), c.dtype());
  }

  interface Step {
    double[] run(GlaCase c, double[] state, double[] q, double[] k, double[] v, double[] g);
  }

  /**
   * The chunked forward over the first {@code prefill} tokens of every sequence (dense cases), then
   * one decode step per remaining token from its final state: o over all T tokens and the last state.
   */
  static GlaReference.Outputs prefillThenDecode(GlaData d, int prefill, Function<GlaData, GlaReference.Outputs> fwd,
      Step step) {
    GlaCase c = d.c();
    GlaCase head = new GlaCase(c.B(), prefill, c.H(), c.K(), c.V(), null, c.dtype(), c.gDtype(), c.h0(), true,
        c.gate(), c.seed());
    GlaData first = new GlaData(head, tokens(d.q(), c, c.K(), 0, prefill), tokens(d.k(), c, c.K(), 0, prefill),
        tokens(d.v(), c, c.V(), 0, prefill), tokens(d.g(), c, c.K(), 0, prefill), d.h0(), null, null);
    GlaReference.Outputs pre = fwd.apply(first);
    double[] o = new double[d.v().length], state = pre.hT().clone();
    place(o, pre.o(), c, c.V(), 0, prefill);
    for (int t = prefill; t < c.T(); t++) {
      double[] ot = step.run(c, state, tokens(d.q(), c, c.K(), t, t + 1), tokens(d.k(), c, c.K(), t, t + 1),
          tokens(d.v(), c, c.V(), t, t + 1), tokens(d.g(), c, c.K(), t, t + 1));
      place(o, ot, c, c.V(), t, t + 1);
    }
    return new GlaReference.Outputs(o, state);
  }

  /** Tokens [t0, t1) of a dense [B, T, H, D] array, as [B, t1 - t0, H, D]. */
  static double[] tokens(double[] a, GlaCase c, int D, int t0, int t1) {
    int row = c.H() * D, n = t1 - t0;
    double[] out = new double[c.B() * n * row];
    for (int b = 0; b < c.B(); b++) System.arraycopy(a, (b * c.T() + t0) * row, out, b * n * row, n * row);
    return out;
  }

  static void place(double[] dst, double[] part, GlaCase c, int D, int t0, int t1) {
    int row = c.H() * D, n = t1 - t0;
    for (int b = 0; b < c.B(); b++) System.arraycopy(part, b * n * row, dst, (b * c.T() + t0) * row, n * row);
  }

  static long[] shapeTV(GlaCase c, int D) {
    return new long[] {c.B(), c.T(), c.H(), D};
  }

  static long[] shapeState(GlaCase c) {
    return new long[] {c.N(), c.H(), c.K(), c.V()};
  }
}

package io.statex.ops;

import static org.junit.jupiter.api.Assertions.fail;

import io.statex.reference.GlaReference;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Compare;
import io.statex.testing.Tolerance;
import java.util.Arrays;

/** Comparisons of GLA results with the reference, shared by the CPU and GPU tests. */
final class GlaChecks {
  private GlaChecks() {}

  static void forward(String what, GlaData d, GlaReference.Outputs got, GlaReference.Outputs ref) {
    GlaCase c = d.c();
    String at = what + " " + d.describe();
    Compare.assertClose(at + ": o", ref.o(), got.o(), c.dtype(), c.accumulation());
    if (c.hT()) {
      Compare.assertClose(at + ": hT", ref.hT(), got.hT(), c.dtype(), c.accumulation());
    }
  }

  static void backward(String what, GlaData d, GlaReference.Grads got, GlaReference.Grads ref) {
    GlaCase c = d.c();
    String at = what + " " + d.describe();
    DType dt = c.dtype();
    Compare.assertClose(at + ": dq", ref.dq(), got.dq(), dt, c.accumulation());
    Compare.assertClose(at + ": dk", ref.dk(), got.dk(), dt, c.accumulation());
    Compare.assertClose(at + ": dv", ref.dv(), got.dv(), dt, c.accumulation());
    gate(at + ": dg", d, ref, got.dg());
    Compare.assertClose(at + ": dh0", ref.dh0(), got.dh0(), dt, c.accumulation());
  }

  /**
   * dg under the usual policy; where the reference is exactly zero (one token per sequence and no
   * initial state: q.dq and k.dk cancel), within the tolerance of the terms that cancel.
   */
  static void gate(String what, GlaData d, GlaReference.Grads ref, double[] got) {
    if (Arrays.stream(ref.dg()).anyMatch(x -> x != 0)) {
      Compare.assertClose(what, ref.dg(), got, d.c().dtype(), d.c().accumulation());
      return;
    }
    double terms = 0, err = 0;
    for (int i = 0; i < got.length; i++) {
      terms += Math.abs(d.q()[i] * ref.dq()[i]) + Math.abs(d.k()[i] * ref.dk()[i]);
      err += Math.abs(got[i]);
    }
    double tol = Tolerance.relative(d.c().dtype(), d.c().accumulation());
    if (!(err <= tol * terms)) {
      fail(String.format("%s: reference is zero; sum |dg| = %.3e exceeds %.0e of sum |q dq| + |k dk| = %.3e", what, err,
          tol, terms));
    }
  }

  /**
   * The chunked forward over the first {@code prefill} tokens of every sequence (dense cases), then
   * one decode step per remaining token from its final state: o over all T tokens and the last state.
   */
  static GlaReference.Outputs prefillThenDecode(GlaData d, int prefill, Device device) {
    GlaCase c = d.c();
    GlaCase head = new GlaCase(c.B(), prefill, c.H(), c.K(), c.V(), null, c.dtype(), c.gDtype(), c.h0(), true,
        c.gate());
    GlaData first = new GlaData(head, d.seed(), tokens(d.q(), c, c.K(), 0, prefill), tokens(d.k(), c, c.K(), 0, prefill),
        tokens(d.v(), c, c.V(), 0, prefill), tokens(d.g(), c, c.K(), 0, prefill), d.h0(), null, null);
    GlaReference.Outputs pre = GlaRunner.forward(first, device);
    double[] o = new double[d.v().length], state = pre.hT().clone();
    place(o, pre.o(), c, c.V(), 0, prefill);
    for (int t = prefill; t < c.T(); t++) {
      double[] ot = GlaRunner.step(c, device, state, tokens(d.q(), c, c.K(), t, t + 1), tokens(d.k(), c, c.K(), t, t + 1),
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
}

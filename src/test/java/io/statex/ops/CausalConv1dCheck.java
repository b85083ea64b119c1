package io.statex.ops;

import static io.statex.testing.Arrays64.normal;
import static io.statex.testing.Arrays64.rounded;
import static io.statex.testing.Arrays64.tensor;

import io.statex.reference.Conv1dReference;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Compare;
import io.statex.testing.Seeds;
import io.statex.testing.Tolerance;
import java.util.Random;

/**
 * Runs a conv1d case through {@link CausalConv1d} on a device and compares with the float64 reference (outputs and
 * gradients start as NaN under the tests' statex.poison).
 */
final class CausalConv1dCheck {
  private CausalConv1dCheck() {}

  record Data(double[] x, double[] w, double[] bias, double[] dout) {}

  static Data data(CausalConv1dCase c, long seed) {
    Random r = new Random(seed);
    int n = c.B() * c.T() * c.C();
    DType wide = c.dtype().wide();
    return new Data(rounded(normal(r, n, 1, 0), c.dtype()), rounded(normal(r, c.C() * c.W(), 0.5, 0), wide),
        c.bias() ? rounded(normal(r, c.C(), 0.5, 0), wide) : null, rounded(normal(r, n, 1, 0), c.dtype()));
  }

  static void forwardBackward(CausalConv1dCase c, Device dev) {
    long seed = Seeds.fresh("conv1d " + c);
    Data d = data(c, seed);
    Conv1dReference.Result ref = Conv1dReference.run(c.offsets(), c.C(), c.W(), d.x(), d.w(), d.bias(), c.silu(),
        d.dout());
    String at = c + " on " + dev + " (seed " + seed + ", " + Seeds.describe() + "): ";
    double tol = Tolerance.relative(c.dtype(), c.accumulation());
    try (TensorScope scope = TensorScope.open()) {
      Tensor x = tensor(d.x(), c.dtype(), dev, c.B(), c.T(), c.C());
      Tensor w = tensor(d.w(), c.dtype().wide(), dev, c.C(), c.W());
      Tensor bias = tensor(d.bias(), c.dtype().wide(), dev, c.C());
      long[] off = c.offsets();
      Tensor cu = c.lens() == null ? null : Tensor.ofLongs(off, off.length).to(dev);
      CausalConv1d.Result out = CausalConv1d.forward(x, w, bias, cu, c.silu(), true);
      Compare.assertClose("causal_conv1d forward " + at + "out", ref.out(), out.out().toDoubleArray(), tol);
      Compare.assertClose("causal_conv1d forward " + at + "final_state", ref.fin(), out.finalState().toDoubleArray(),
          tol);
      Tensor dout = tensor(d.dout(), c.dtype(), dev, c.B(), c.T(), c.C());
      CausalConv1d.Grads g = CausalConv1d.backward(dout, x, w, bias, cu, c.silu());
      Compare.assertClose("causal_conv1d backward " + at + "dx", ref.dx(), g.dx().toDoubleArray(), tol);
      Compare.assertClose("causal_conv1d backward " + at + "dweight", ref.dw(), g.dweight().toDoubleArray(), tol);
      if (c.bias()) {
        Compare.assertClose("causal_conv1d backward " + at + "dbias", ref.dbias(), g.dbias().toDoubleArray(),
            tol);
      }
    }
  }

  /**
   * Forward over the first T - steps tokens (its final state is the decode state), then steps decode calls: their
   * outputs and the rolled state must match the reference over all T tokens.
   */
  static void prefillThenDecode(CausalConv1dCase c, int steps, Device dev) {
    long seed = Seeds.fresh("conv1d decode " + c);
    Data d = data(c, seed);
    int B = c.B(), T = c.T(), C = c.C(), W = c.W(), t0 = T - steps;
    Conv1dReference.Result ref = Conv1dReference.run(c.offsets(), C, W, d.x(), d.w(), d.bias(), c.silu(), null);
    double tol = Tolerance.relative(c.dtype(), c.accumulation());
    double[] xPre = new double[B * t0 * C];
    for (int b = 0; b < B; b++) {
      System.arraycopy(d.x(), b * T * C, xPre, b * t0 * C, t0 * C);
    }
    try (TensorScope scope = TensorScope.open()) {
      Tensor w = tensor(d.w(), c.dtype().wide(), dev, C, W);
      Tensor bias = tensor(d.bias(), c.dtype().wide(), dev, C);
      Tensor state = CausalConv1d.forward(tensor(xPre, c.dtype(), dev, B, t0, C), w, bias, null, c.silu(), true)
          .finalState();
      double[] got = new double[B * steps * C];
      double[] want = new double[got.length];
      for (int k = 0; k < steps; k++) {
        double[] xk = new double[B * C];
        for (int b = 0; b < B; b++) {
          System.arraycopy(d.x(), (b * T + t0 + k) * C, xk, b * C, C);
          System.arraycopy(ref.out(), (b * T + t0 + k) * C, want, (b * steps + k) * C, C);
        }
        double[] ok = CausalConv1d.step(state, tensor(xk, c.dtype(), dev, B, C), w, bias, c.silu()).toDoubleArray();
        for (int b = 0; b < B; b++) {
          System.arraycopy(ok, b * C, got, (b * steps + k) * C, C);
        }
      }
      String at = "causal_conv1d step " + c + "-decode" + steps + " on " + dev + " (seed " + seed + "): ";
      Compare.assertClose(at + "out", want, got, tol);
      Compare.assertClose(at + "conv_state", ref.fin(), state.toDoubleArray(), tol);
    }
  }
}

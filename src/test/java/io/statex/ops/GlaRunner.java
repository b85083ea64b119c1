package io.statex.ops;

import io.statex.reference.GlaReference;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;

/**
 * Runs {@link GlaChunk} on a device for {@link GlaData}: every output is allocated and poisoned with
 * NaN before the call (an element the kernels leave unwritten fails the comparison), and the results
 * come back as float64 arrays.
 */
final class GlaRunner {
  private GlaRunner() {}

  /** o, and hT when the case asks for it (else null). */
  static GlaReference.Outputs forward(GlaData d, Device device) {
    GlaCase c = d.c();
    try (TensorScope scope = TensorScope.open()) {
      GlaData.Tensors in = d.tensors(device);
      Tensor o = poisoned(c.dtype(), device, c.B(), c.T(), c.H(), c.V());
      Tensor hT = c.hT() ? poisoned(c.dtype().wide(), device, c.N(), c.H(), c.K(), c.V()) : null;
      GlaChunk.forwardInto(o, hT, in.q(), in.k(), in.v(), in.g(), in.h0(), in.cu(), c.scale());
      return new GlaReference.Outputs(o.toDoubleArray(), hT == null ? null : hT.toDoubleArray());
    }
  }

  /** dq, dk, dv, dg and dh0. */
  static GlaReference.Grads backward(GlaData d, Device device) {
    GlaCase c = d.c();
    try (TensorScope scope = TensorScope.open()) {
      GlaData.Tensors in = d.tensors(device);
      Tensor dq = poisoned(c.dtype(), device, c.B(), c.T(), c.H(), c.K());
      Tensor dk = poisoned(c.dtype(), device, c.B(), c.T(), c.H(), c.K());
      Tensor dv = poisoned(c.dtype(), device, c.B(), c.T(), c.H(), c.V());
      Tensor dg = poisoned(c.gDtype(), device, c.B(), c.T(), c.H(), c.K());
      Tensor dh0 = poisoned(c.dtype().wide(), device, c.N(), c.H(), c.K(), c.V());
      GlaChunk.backwardInto(dq, dk, dv, dg, dh0, in.dO(), in.dhT(), in.q(), in.k(), in.v(), in.g(), in.h0(), in.cu(),
          c.scale());
      return new GlaReference.Grads(dq.toDoubleArray(), dk.toDoubleArray(), dv.toDoubleArray(), dg.toDoubleArray(),
          dh0.toDoubleArray());
    }
  }

  /**
   * One decode step over N sequences: q, k, g [N, H, K], v [N, H, V]; {@code state} [N, H, K, V] is
   * updated in place (through a tensor of the state dtype). Returns o [N, H, V].
   */
  static double[] step(GlaCase c, Device device, double[] state, double[] q, double[] k, double[] v, double[] g) {
    int n = state.length / (c.H() * c.K() * c.V());
    try (TensorScope scope = TensorScope.open()) {
      Tensor s = GlaData.tensor(state, c.dtype().wide(), device, n, c.H(), c.K(), c.V());
      Tensor o = poisoned(c.dtype(), device, n, c.H(), c.V());
      GlaChunk.stepInto(o, s, GlaData.tensor(q, c.dtype(), device, n, c.H(), c.K()),
          GlaData.tensor(k, c.dtype(), device, n, c.H(), c.K()), GlaData.tensor(v, c.dtype(), device, n, c.H(), c.V()),
          GlaData.tensor(g, c.gDtype(), device, n, c.H(), c.K()), c.scale());
      System.arraycopy(s.toDoubleArray(), 0, state, 0, state.length);
      return o.toDoubleArray();
    }
  }

  static Tensor poisoned(DType dtype, Device device, long... shape) {
    Tensor t = Tensor.empty(dtype, device, shape);
    t.poison();
    return t;
  }
}

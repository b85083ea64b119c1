package io.statex.ops;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Compare;
import io.statex.testing.Seeds;
import java.util.List;
import java.util.Map;

/** Runs one catalogue case on a device and compares every output with the float64 reference. */
final class OpChecker {
  private OpChecker() {}

  /** Returns the outputs as float64 arrays (for cross-device comparisons). */
  static List<double[]> check(OpCase c, Device device) {
    long seed = Seeds.fresh(c.displayName());
    String where = c.displayName() + " on " + device + " (" + Seeds.describe() + ")";
    try (TensorScope scope = TensorScope.open()) {
      Map<String, Tensor> in = c.makeInputs(device, seed);
      List<Tensor> out = c.run(in);
      List<double[]> ref = c.reference(in);
      if (out.size() != ref.size()) {
        throw new AssertionError(where + ": " + out.size() + " outputs, reference has " + ref.size());
      }
      List<double[]> got = new java.util.ArrayList<>();
      for (int i = 0; i < out.size(); i++) {
        Tensor o = out.get(i);
        if (o.device() != device && !o.device().equals(device)) {
          throw new AssertionError(where + ": output " + i + " is on " + o.device());
        }
        String what = where + ", output " + i;
        if (o.dtype() == DType.I64 || o.dtype() == DType.I32) {
          long[] r = java.util.Arrays.stream(ref.get(i)).mapToLong(v -> (long) v).toArray();
          Compare.assertExact(what, r, o.toLongArray());
          got.add(java.util.Arrays.stream(o.toLongArray()).asDoubleStream().toArray());
        } else {
          double[] g = o.toDoubleArray();
          Compare.assertClose(what, ref.get(i), g, o.dtype(), c.accumulation());
          got.add(g);
        }
      }
      return got;
    }
  }
}

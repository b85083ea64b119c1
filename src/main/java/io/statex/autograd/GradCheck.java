package io.statex.autograd;

import io.statex.backend.Distribution;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Gradient checking by central differences: the gradient the tape computes of {@code L = sum_j
 * <r_j, out_j>} (a random cotangent r_j on every output) against {@code (L(x + eps e_i) - L(x - eps
 * e_i)) / 2 eps}, element by element, for every leaf. Meant for F64 on the CPU, where the difference
 * quotient is accurate to about 1e-9 relative; each checked element costs two forward passes, so
 * large leaves are checked on a seeded random subset of their elements.
 */
public final class GradCheck {
  private GradCheck() {}

  /** A function of some leaves: inputs in, outputs out. */
  @FunctionalInterface
  public interface Fn {
    Var[] apply(Var[] inputs);
  }

  /**
   * The comparison for one leaf over the checked elements: the error norm ||analytic - numeric||, the
   * norm of numeric, and the rounding floor of the difference quotients themselves (sqrt of the sum
   * over elements of (8 u (|L+| + |L-|) / 2 eps)^2, u the unit roundoff of the dtype): no quotient is
   * more accurate than that, however right the backward is.
   */
  public record Result(String input, int checked, double error, double norm, double floor, long worstIndex,
      double analytic, double numeric) {
    /** ||analytic - numeric|| / ||numeric|| (infinite for NaN). */
    public double relError() {
      double r = error / Math.max(norm, 1e-300);
      return Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
    }

    /** True when the error is within tol relative, plus the quotients' own rounding floor. */
    public boolean passes(double tol) {
      return error <= tol * norm + floor;
    }

    @Override
    public String toString() {
      return String.format("%s: %d elements, relative error %.3g, error %.3g vs rounding floor %.3g (worst at %d: "
          + "analytic %.10g, numeric %.10g)", input, checked, relError(), error, floor, worstIndex, analytic, numeric);
    }
  }

  /**
   * Checks f's gradients with respect to each input whose name is not null (inputs are wrapped as
   * leaves; they are perturbed in place and restored).
   */
  public static List<Result> check(Fn f, Tensor[] inputs, String[] names, long seed, double eps, int maxElements) {
    Var[] leaves = new Var[inputs.length];
    List<Var> checked = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      leaves[i] = Var.leaf(inputs[i], names[i] != null && inputs[i].dtype().isFloat(), names[i]);
      if (leaves[i].requiresGrad()) {
        checked.add(leaves[i]);
      }
    }
    return check(() -> f.apply(leaves), checked, seed, eps, maxElements);
  }

  /**
   * Checks the gradients of outputs() with respect to the given leaves (for example a module's
   * parameters, which outputs() uses directly). Each leaf's value is perturbed in place and restored;
   * its gradient buffer is released afterwards.
   */
  public static List<Result> check(Supplier<Var[]> outputs, List<Var> leaves, long seed, double eps, int maxElements) {
    Tensor[] cot = cotangents(outputs, seed);
    List<Result> results = new ArrayList<>();
    try {
      leaves.forEach(Var::releaseGrad);
      try (TensorScope scope = TensorScope.open();
          Tape tape = Tape.open()) {
        tape.backward(outputs.get(), cot);
      }
      List<double[]> analytic = new ArrayList<>();
      for (Var v : leaves) {
        analytic.add(v.grad() == null ? new double[(int) v.value().numel()] : v.grad().toDoubleArray());
        v.releaseGrad();
      }
      SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
      for (int i = 0; i < leaves.size(); i++) {
        results.add(compare(outputs, cot, leaves.get(i), analytic.get(i), eps, maxElements, rnd));
      }
    } finally {
      for (Tensor c : cot) {
        c.close();
      }
    }
    return results;
  }

  private static Result compare(Supplier<Var[]> outputs, Tensor[] cot, Var leaf, double[] analytic, double eps,
      int maxElements, SplittableRandom rnd) {
    Tensor x = leaf.value();
    double[] base = x.toDoubleArray();
    long[] picks = pick(base.length, maxElements, rnd);
    double num2 = 0, err2 = 0, floor2 = 0, worst = -1, worstA = 0, worstN = 0;
    double u = switch (x.dtype()) {
      case F64 -> 0x1p-53;
      case F32 -> 0x1p-24;
      default -> 0x1p-8;
    };
    long worstAt = -1;
    try (Tensor flat = x.reshape(-1)) {
      if (flat.storage() != x.storage()) {
        throw new IllegalArgumentException("gradient check: leaf " + leaf.name() + " must be contiguous");
      }
      for (long e : picks) {
        try (Tensor cell = flat.slice(0, e, e + 1)) {
          cell.fill(base[(int) e] + eps);
          double plus = objective(outputs, cot);
          cell.fill(base[(int) e] - eps);
          double minus = objective(outputs, cot);
          cell.fill(base[(int) e]);
          double numeric = (plus - minus) / (2 * eps);
          double a = analytic[(int) e];
          double d = Math.abs(a - numeric);
          double f = 8 * u * (Math.abs(plus) + Math.abs(minus)) / (2 * eps);
          floor2 += f * f;
          num2 += numeric * numeric;
          err2 += d * d;
          if (d > worst || Double.isNaN(d)) {
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
            worstAt = e;
            worstA = a;
            worstN = numeric;
          }
        }
      }
    }
    double err = Double.isNaN(err2) ? Double.POSITIVE_INFINITY : Math.sqrt(err2);
    return new Result(leaf.name(), picks.length, err, Math.sqrt(num2), Math.sqrt(floor2), worstAt, worstA, worstN);
  }

  // sum_j <r_j, out_j> of a forward pass without recording.
  private static double objective(Supplier<Var[]> outputs, Tensor[] cot) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Var[] outs = outputs.get();
      double sum = 0;
      for (int j = 0; j < outs.length; j++) {
        double[] o = outs[j].value().toDoubleArray();
        double[] r = cot[j].toDoubleArray();
        for (int k = 0; k < o.length; k++) {
          sum += o[k] * r[k];
        }
      }
      return sum;
    }
  }

  // One random cotangent per output, in the output's dtype and shape.
  private static Tensor[] cotangents(Supplier<Var[]> outputs, long seed) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Var[] outs = outputs.get();
      Tensor[] cot = new Tensor[outs.length];
      for (int j = 0; j < outs.length; j++) {
        Tensor v = outs[j].value();
        DType dt = v.dtype().isFloat() ? v.dtype() : DType.F32;
        cot[j] = TensorScope.outside(() -> Tensor.empty(dt, v.device(), v.shapeRef()));
        v.backend().random(Distribution.NORMAL, cot[j], seed + 977L * j, 0, 0, 1);
      }
      return cot;
    }
  }

  private static long[] pick(int n, int max, SplittableRandom rnd) {
    if (n <= max) {
      long[] all = new long[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    return rnd.longs(0, n).distinct().limit(max).sorted().toArray();
  }
}

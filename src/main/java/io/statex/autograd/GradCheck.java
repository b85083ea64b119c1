package io.statex.autograd;

import io.statex.backend.Distribution;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Gradient checking by central differences: for a function of some tensors, the gradient the tape
 * computes of {@code L = sum_j <r_j, out_j>} (random cotangents r_j on every output) against
 * {@code (L(x + eps e_i) - L(x - eps e_i)) / 2 eps}, element by element. Meant for F64 inputs on the
 * CPU, where the difference quotient is accurate to about 1e-9 relative; each checked element costs
 * two forward passes, so large inputs are checked on a seeded random subset of their elements.
 */
public final class GradCheck {
  private GradCheck() {}

  /** The function under test: inputs (leaves) in, outputs out. */
  @FunctionalInterface
  public interface Fn {
    Var[] apply(Var[] inputs);
  }

  /** The comparison for one input: relative error ||analytic - numeric|| / ||numeric|| over the checked elements. */
  public record Result(String input, int checked, double relError, long worstIndex, double analytic, double numeric) {
    @Override
    public String toString() {
      return String.format("%s: %d elements, relative error %.3g (worst at %d: analytic %.10g, numeric %.10g)", input,
          checked, relError, worstIndex, analytic, numeric);
    }
  }

  /**
   * Checks the gradients of f with respect to each input whose name is not null; inputs are used in
   * place (perturbed and restored). At most maxElements elements per input are checked.
   */
  public static List<Result> check(Fn f, Tensor[] inputs, String[] names, long seed, double eps, int maxElements) {
    Tensor[] cot = cotangents(f, inputs, seed);
    List<Result> results = new ArrayList<>();
    try (TensorScope scope = TensorScope.open()) {
      Var[] leaves = new Var[inputs.length];
      for (int i = 0; i < inputs.length; i++) {
        leaves[i] = Var.leaf(inputs[i], names[i] != null && inputs[i].dtype().isFloat(), names[i]);
      }
      try (Tape tape = Tape.open()) {
        Var[] outs = f.apply(leaves);
        tape.backward(outs, cot);
      }
      SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
      for (int i = 0; i < inputs.length; i++) {
        if (!leaves[i].requiresGrad()) {
          continue;
        }
        double[] analytic = leaves[i].grad() == null ? new double[(int) inputs[i].numel()] : leaves[i].grad().toDoubleArray();
        leaves[i].releaseGrad();
        results.add(compare(f, inputs, cot, i, names[i], analytic, eps, maxElements, rnd));
      }
    } finally {
      for (Tensor c : cot) {
        c.close();
      }
    }
    return results;
  }

  private static Result compare(Fn f, Tensor[] inputs, Tensor[] cot, int which, String name, double[] analytic,
      double eps, int maxElements, SplittableRandom rnd) {
    Tensor x = inputs[which];
    double[] base = x.toDoubleArray();
    long[] picks = pick(base.length, maxElements, rnd);
    double num2 = 0, err2 = 0, worst = -1, worstA = 0, worstN = 0;
    long worstAt = -1;
    try (Tensor flat = x.reshape(-1)) {
      for (long e : picks) {
        try (Tensor cell = flat.slice(0, e, e + 1)) {
          cell.fill(base[(int) e] + eps);
          double plus = objective(f, inputs, cot);
          cell.fill(base[(int) e] - eps);
          double minus = objective(f, inputs, cot);
          cell.fill(base[(int) e]);
          double numeric = (plus - minus) / (2 * eps);
          double a = analytic[(int) e];
          double d = Math.abs(a - numeric);
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
    double rel = Math.sqrt(err2) / Math.max(Math.sqrt(num2), 1e-300);
    if (Double.isNaN(rel)) {
      rel = Double.POSITIVE_INFINITY;
    }
    return new Result(name, picks.length, rel, worstAt, worstA, worstN);
  }

  // sum_j <r_j, out_j> of a forward pass without recording.
  private static double objective(Fn f, Tensor[] inputs, Tensor[] cot) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Var[] outs = f.apply(constants(inputs));
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
  private static Tensor[] cotangents(Fn f, Tensor[] inputs, long seed) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Var[] outs = f.apply(constants(inputs));
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

  private static Var[] constants(Tensor[] inputs) {
    Var[] vars = new Var[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      vars[i] = Var.constant(inputs[i]);
    }
    return vars;
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

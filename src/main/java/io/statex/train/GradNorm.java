package io.statex.train;

import io.statex.backend.UnaryOp;
import io.statex.nn.Parameter;
import io.statex.ops.Elementwise;
import io.statex.ops.Reductions;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.Collection;

/** The global L2 norm of the gradients, and clipping to a maximum norm (one host sync per step). */
public final class GradNorm {
  private GradNorm() {}

  /** sqrt(sum over parameters of sum(g^2)); NaN or infinity when any gradient holds one. */
  public static double of(Collection<Parameter> params) {
    try (TensorScope scope = TensorScope.open()) {
      Tensor total = null;
      for (Parameter p : params) {
        if (p.grad() != null) {
          Tensor part = Reductions.sumAll(Elementwise.square(p.grad()));
          total = total == null ? part : Elementwise.add(total, part);
        }
      }
      return total == null ? 0 : Math.sqrt(total.item());  // the step's one synchronisation
    }
  }

  /** Scales every gradient by maxNorm / norm when norm exceeds maxNorm (maxNorm <= 0: no clipping). */
  public static void clip(Collection<Parameter> params, double norm, double maxNorm) {
    if (maxNorm <= 0 || !(norm > maxNorm)) {
      return;
    }
    double s = maxNorm / (norm + 1e-6);
    for (Parameter p : params) {
      if (p.grad() != null) {
        p.grad().backend().unary(UnaryOp.MUL_SCALAR, p.grad(), p.grad(), s);
      }
    }
  }
}

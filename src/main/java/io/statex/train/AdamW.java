package io.statex.train;

import io.statex.backend.Backend;
import io.statex.backend.BinaryOp;
import io.statex.backend.UnaryOp;
import io.statex.nn.Parameter;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay (Loshchilov and Hutter): per parameter p with gradient g,
 * {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p = p (1 - lr wd) - lr m^ / (sqrt(v^) + eps)}
 * with bias-corrected m^ and v^, decay only on parameters marked for it (two or more dimensions).
 * Moments are F32 whatever the parameter dtype; a BF16 parameter (pure-bf16 training) is updated in
 * F32 and rounded back once per step.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, Parameter> params;
  private final double beta1, beta2, eps, weightDecay;
  private final Map<String, Tensor[]> moments = new LinkedHashMap<>();
  private long steps;

  public AdamW(Map<String, Parameter> params, double beta1, double beta2, double eps, double weightDecay) {
    this.params = new LinkedHashMap<>(params);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (Map.Entry<String, Parameter> e : this.params.entrySet()) {
      Tensor p = e.getValue().value();
      moments.put(e.getKey(), TensorScope.outside(() -> new Tensor[] {
          Tensor.zeros(momentDType(p), p.device(), p.shapeRef()), Tensor.zeros(momentDType(p), p.device(), p.shapeRef())}));
    }
  }

  /** The recipe's values: betas 0.9 / 0.95, eps 1e-8, the given weight decay. */
  public static AdamW standard(Map<String, Parameter> params, double weightDecay) {
    return new AdamW(params, 0.9, 0.95, 1e-8, weightDecay);
  }

  /** Updates applied so far. */
  public long steps() {
    return steps;
  }

  /** One update with learning rate lr from the parameters' current gradients (missing ones count as zero). */
  public void step(double lr) {
    steps++;
    double bc1 = 1 - Math.pow(beta1, steps), bc2 = 1 - Math.pow(beta2, steps);
    try (TensorScope scope = TensorScope.open()) {
      for (Map.Entry<String, Parameter> e : params.entrySet()) {
        Parameter p = e.getValue();
        if (p.grad() != null) {
          update(p, moments.get(e.getKey()), lr, bc1, bc2);
        }
      }
    }
  }

  private void update(Parameter p, Tensor[] mv, double lr, double bc1, double bc2) {
    Tensor m = mv[0], v = mv[1];
    Backend be = m.backend();
    try (Tensor g = p.grad().to(m.dtype());
        Tensor t = Tensor.empty(m.dtype(), m.device(), m.shapeRef());
        Tensor w = p.value().to(m.dtype())) {
      be.unary(UnaryOp.MUL_SCALAR, m, m, beta1);                 // m = b1 m + (1 - b1) g
      be.unary(UnaryOp.MUL_SCALAR, t, g, 1 - beta1);
      be.binary(BinaryOp.ADD, m, m, t);
      be.unary(UnaryOp.SQUARE, t, g, 0);                         // v = b2 v + (1 - b2) g^2
      be.unary(UnaryOp.MUL_SCALAR, t, t, 1 - beta2);
      be.unary(UnaryOp.MUL_SCALAR, v, v, beta2);
      be.binary(BinaryOp.ADD, v, v, t);
      be.unary(UnaryOp.SQRT, t, v, 0);                           // t = sqrt(v / bc2) + eps
      be.unary(UnaryOp.MUL_SCALAR, t, t, 1 / Math.sqrt(bc2));
      be.unary(UnaryOp.ADD_SCALAR, t, t, eps);
      be.binary(BinaryOp.DIV, t, m, t);                          // t = (m / bc1) / t, scaled by lr
      be.unary(UnaryOp.MUL_SCALAR, t, t, lr / bc1);
      if (p.decay() && weightDecay != 0) {
        be.unary(UnaryOp.MUL_SCALAR, w, w, 1 - lr * weightDecay);
      }
      be.binary(BinaryOp.SUB, w, w, t);
      if (w.storage() != p.value().storage()) {
        p.value().copyFrom(w);                                   // bf16 parameter: one rounding per step
      }
    }
  }

  /** The moments by name ("m." / "v." + parameter name), for checkpoints. */
  public Map<String, Tensor> state() {
    Map<String, Tensor> s = new LinkedHashMap<>();
    moments.forEach((name, mv) -> {
      s.put("m." + name, mv[0]);
      s.put("v." + name, mv[1]);
    });
    return s;
  }

  /** Restores the moments and the update count from a checkpoint. */
  public void load(Map<String, Tensor> state, long steps) {
    moments.forEach((name, mv) -> {
      mv[0].copyFrom(require(state, "m." + name));
      mv[1].copyFrom(require(state, "v." + name));
    });
    this.steps = steps;
  }

  private static Tensor require(Map<String, Tensor> state, String key) {
    Tensor t = state.get(key);
    if (t == null) {
      throw new IllegalArgumentException("optimizer state: missing '" + key + "'");
    }
    return t;
  }

  private static DType momentDType(Tensor p) {
    return p.dtype() == DType.BF16 ? DType.F32 : p.dtype();
  }

  @Override
  public void close() {
    moments.values().forEach(mv -> {
      mv[0].close();
      mv[1].close();
    });
  }
}

package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.tensor.Tensor;

/**
 * A trainable tensor of a module: a leaf Var that owns its value (the fp32 master copy in mixed
 * precision) and its gradient. {@code decay} says whether AdamW's weight decay applies (tensors of
 * two or more dimensions, as in the reference recipes; never biases, norms, dt_bias, A_log or D).
 */
public final class Parameter implements AutoCloseable {
  private final Var var;
  private final boolean decay;

  public Parameter(Tensor value, String name, boolean decay) {
    this.var = Var.leaf(value, true, name);
    this.decay = decay;
  }

  /** A parameter with weight decay exactly when it has two or more dimensions. */
  public static Parameter of(Tensor value, String name) {
    return new Parameter(value, name, value.ndim() >= 2);
  }

  public Var var() {
    return var;
  }

  public Tensor value() {
    return var.value();
  }

  public Tensor grad() {
    return var.grad();
  }

  public boolean decay() {
    return decay;
  }

  public long numel() {
    return var.value().numel();
  }

  @Override
  public void close() {
    var.releaseGrad();
    var.value().close();
  }
}

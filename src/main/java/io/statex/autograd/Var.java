package io.statex.autograd;

import io.statex.backend.BinaryOp;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A tensor in the autograd graph: its value and, when it requires one, its gradient.
 *
 * <p>A leaf (a parameter, or an input of a gradient check) is made with {@link #leaf}; its gradient
 * is a buffer it owns, accumulated across backward passes (gradient accumulation) until
 * {@link #zeroGrad}, in F32 for F32 and BF16 values (F64 for F64), so that bf16 weights never sum
 * their gradients in bf16. Other Vars are the outputs of recorded ops: their gradients live only
 * during {@link Tape#backward}. A Var never owns its value: the tensor belongs to whoever made it
 * (a {@link TensorScope}, a module).
 */
public final class Var {
  private final Tensor value;
  private final boolean requiresGrad;
  private final boolean leaf;
  private final String name;
  private final List<Consumer<Var>> hooks = new ArrayList<>();
  Node producer;
  Tensor grad;

  private Var(Tensor value, boolean requiresGrad, boolean leaf, String name) {
    if (value == null) {
      throw new IllegalArgumentException("Var: value is null");
    }
    this.value = value;
    this.requiresGrad = requiresGrad;
    this.leaf = leaf;
    this.name = name;
  }

  /** A leaf: a parameter or an input whose gradient is wanted (requiresGrad) or not. */
  public static Var leaf(Tensor value, boolean requiresGrad, String name) {
    if (requiresGrad && !value.dtype().isFloat()) {
      throw new IllegalArgumentException("Var '" + name + "': only float tensors can require a gradient, got " + value.dtype());
    }
    return new Var(value, requiresGrad, true, name);
  }

  /** A value that takes no gradient (token ids, masks, inputs). */
  public static Var constant(Tensor value) {
    return new Var(value, false, true, null);
  }

  /** The output of a recorded op. */
  static Var output(Tensor value, boolean requiresGrad) {
    return new Var(value, requiresGrad, false, null);
  }

  public Tensor value() {
    return value;
  }

  /** The gradient, or null when none has arrived (leaves keep theirs until {@link #zeroGrad}). */
  public Tensor grad() {
    return grad;
  }

  public boolean requiresGrad() {
    return requiresGrad;
  }

  public boolean isLeaf() {
    return leaf;
  }

  public String name() {
    return name;
  }

  public long[] shape() {
    return value.shape();
  }

  public long size(int dim) {
    return value.size(dim);
  }

  public int ndim() {
    return value.ndim();
  }

  public DType dtype() {
    return value.dtype();
  }

  public Device device() {
    return value.device();
  }

  /** The dtype a leaf accumulates its gradient in. */
  public DType gradDType() {
    return value.dtype() == DType.BF16 ? DType.F32 : value.dtype();
  }

  /**
   * Called once per backward pass when this leaf's gradient is final: every recorded use of it has
   * sent its gradient (data-parallel training starts the gradient's all-reduce there).
   */
  public void onGradReady(Consumer<Var> hook) {
    if (!leaf || !requiresGrad) {
      throw new IllegalStateException("only a leaf that requires a gradient has a gradient-ready hook");
    }
    hooks.add(hook);
  }

  /** Zeros the gradient buffer of a leaf (kept allocated for the next step). */
  public void zeroGrad() {
    if (grad != null) {
      grad.fill(0);
    }
  }

  /** Frees the gradient buffer of a leaf. */
  public void releaseGrad() {
    if (grad != null) {
      grad.close();
      grad = null;
    }
  }

  void fireHooks() {
    for (Consumer<Var> h : hooks) {
      h.accept(this);
    }
  }

  /** Adds g (same shape) to the gradient. g stays the caller's. */
  void accumulate(Tensor g) {
    if (leaf) {
      if (grad == null) {
        grad = TensorScope.outside(() -> Tensor.zeros(gradDType(), value.device(), value.shapeRef()));
      }
      try (Tensor cast = g.to(grad.dtype())) {
        grad.backend().binary(BinaryOp.ADD, grad, grad, cast);
      }
      return;
    }
    if (grad == null) {
      grad = TensorScope.outside(() -> g.to(value.dtype()));
      return;
    }
    Tensor sum = TensorScope.outside(() -> Tensor.empty(value.dtype(), value.device(), value.shapeRef()));
    try (Tensor cast = g.to(value.dtype())) {
      sum.backend().binary(BinaryOp.ADD, sum, grad, cast);
    } catch (RuntimeException e) {
      sum.close();
      throw e;
    }
    grad.close();
    grad = sum;
  }

  @Override
  public String toString() {
    return "Var" + (name == null ? "" : "(" + name + ")") + value;
  }
}

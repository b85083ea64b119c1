package io.statex.autograd;

import io.statex.tensor.Tensor;

/**
 * The backward of one recorded op: from the gradients of its outputs, the gradients of its inputs.
 *
 * <p>{@code gradOutputs[i]} is never null (a missing output gradient arrives as zeros). The result
 * has one entry per input: a tensor of exactly that input's shape (and dtype, or one the tape casts),
 * or null where {@code needsGrad[i]} is false or the gradient is zero. The tape owns the returned
 * tensors: it closes them once accumulated, so a backward may return views of anything it likes.
 */
@FunctionalInterface
public interface Backward {
  Tensor[] apply(Tensor[] gradOutputs, boolean[] needsGrad);
}

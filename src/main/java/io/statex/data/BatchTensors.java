package io.statex.data;

import io.statex.tensor.Tensor;

/** A {@link TokenBatch} on a device: inputs and targets [batch, length], closed together. */
public record BatchTensors(Tensor inputs, Tensor targets) implements AutoCloseable {
  @Override
  public void close() {
    try {
      inputs.close();
    } finally {
      targets.close();
    }
  }
}

package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every op rejects bad input with an IllegalArgumentException that names what was wrong. */
class BadInputTest {

  private static void rejects(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should mention '" + expected + "'");
  }

  @Test
  void elementwise() {
    try (TensorScope s = TensorScope.open()) {
      Tensor a = Tensor.zeros(DType.F32, Device.CPU, 2, 3);
      Tensor b = Tensor.zeros(DType.F32, Device.CPU, 4);
      Tensor h = Tensor.zeros(DType.BF16, Device.CPU, 2, 3);
      Tensor i = Tensor.zeros(DType.I32, Device.CPU, 2, 3);
      rejects("do not broadcast", () -> Elementwise.add(a, b));
      rejects("BF16", () -> Elementwise.mul(a, h));
      rejects("must be F32, BF16 or F64", () -> Elementwise.exp(i));
      rejects("is null", () -> Elementwise.exp((Tensor) null));
      Tensor closed = Tensor.zeros(DType.F32, Device.CPU, 2);
      closed.close();
      rejects("closed", () -> Elementwise.neg(closed));
    }
  }

  @Test
  void matmulAndReductions() {
    try (TensorScope s = TensorScope.open()) {
      Tensor a = Tensor.zeros(DType.F32, Device.CPU, 2, 3);
      Tensor b = Tensor.zeros(DType.F32, Device.CPU, 4, 5);
      rejects("inner dimensions differ", () -> MatMul.matmul(a, b));
      rejects("rank >= 2", () -> MatMul.matmul(Tensor.zeros(DType.F32, Device.CPU, 3), b));
      rejects("axis 5", () -> Reductions.sum(a, 5, false));
      rejects("is empty", () -> Reductions.max(Tensor.zeros(DType.F32, Device.CPU, 2, 0), 1, false));
      rejects("non-empty last axis", () -> Softmax.softmax(Tensor.zeros(DType.F32, Device.CPU, 2, 0)));
    }
  }

  @Test
  void embeddingAndNorm() {
    try (TensorScope s = TensorScope.open()) {
      Tensor table = Tensor.zeros(DType.F32, Device.CPU, 5, 3);
      rejects("outside [0, 5)", () -> Embedding.forward(table, Tensor.ofLongs(new long[] {1, 5}, 2)));
      rejects("outside [0, 5)", () -> Embedding.forward(table, Tensor.ofInts(new int[] {-1}, 1)));
      rejects("I32, I64", () -> Embedding.forward(table, Tensor.zeros(DType.F32, Device.CPU, 2)));
      rejects("rank 2", () -> Embedding.forward(Tensor.zeros(DType.F32, Device.CPU, 5), Tensor.ofInts(new int[] {1}, 1)));
      Tensor x = Tensor.zeros(DType.F32, Device.CPU, 2, 4);
      rejects("w must have shape [4]", () -> RmsNorm.forward(x, Tensor.zeros(DType.F32, Device.CPU, 3), 1e-6));
      rejects("eps", () -> RmsNorm.forward(x, null, -1));
      rejects("incompatible", () -> Shaping.concat(0, x, Tensor.zeros(DType.F32, Device.CPU, 2, 5)));
    }
  }
}

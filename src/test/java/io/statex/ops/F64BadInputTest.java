package io.statex.ops;

import static io.statex.tensor.DType.F32;
import static io.statex.tensor.DType.F64;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * F64 meets F32 (and CUDA) at every op entry: an IllegalArgumentException naming the argument, the
 * expected and the actual dtype. F64 data needs F64 side tensors (states, statistics, parameters of
 * the fused kernels: DType.wide), and an F64 tensor cannot be made on a CUDA device at all (refused
 * before any device is touched, so this runs without a GPU).
 */
class F64BadInputTest {
  private static final Device CPU = Device.CPU;

  private static void rejects(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should mention '" + expected + "'");
  }

  private static Tensor f64(long... shape) {
    return Tensor.zeros(F64, CPU, shape);
  }

  private static Tensor f32(long... shape) {
    return Tensor.zeros(F32, CPU, shape);
  }

  @Test
  void noF64TensorOnCuda() {
    try (TensorScope s = TensorScope.open()) {
      rejects("F64 is supported on the CPU backend only", () -> Tensor.empty(F64, Device.cuda(0), 2, 3));
      rejects("F64 is supported on the CPU backend only", () -> Tensor.zeros(F64, Device.cuda(1), 4));
      rejects("on cuda:0", () -> Tensor.of(new double[] {1, 2}, 2).to(Device.cuda(0)));
    }
  }

  @Test
  void baseOpsRejectMixedF64AndF32() {
    try (TensorScope s = TensorScope.open()) {
      rejects("a is F64 but b is F32", () -> Elementwise.add(f64(2, 3), f32(2, 3)));
      rejects("dy is F32 but x is F64", () -> Elementwise.unaryBackward(io.statex.backend.UnaryOp.EXP, f32(2), f64(2), 0));
      rejects("a is F32 but b is F64", () -> MatMul.matmul(f32(2, 3), f64(3, 4)));
      rejects("y is F64 but dy is F32", () -> Softmax.backward(f64(2, 3), f32(2, 3), false));
      rejects("x is F64 but w is F32", () -> RmsNorm.forward(f64(2, 4), f32(4), 1e-6));
      rejects("rstd must be one of [F64], got F32", () -> RmsNorm.backward(f64(2, 4), f64(2, 4), null, f32(2)));
      rejects("dtable must be one of [F64], got F32",
          () -> Embedding.backwardInto(f32(5, 3), f64(2, 3), Tensor.ofLongs(new long[] {0, 4}, 2)));
      rejects("tensor 0 is F64 but tensor 1 is F32", () -> Shaping.concat(0, f64(2, 3), f32(2, 3)));
    }
  }

  @Test
  void glaRejectsF32StatesWithF64Inputs() {
    try (TensorScope s = TensorScope.open()) {
      Tensor q = f64(2, 8, 1, 16);
      rejects("h0 must be one of [F64], got F32", () -> GlaChunk.forward(q, q, q, q, f32(2, 1, 16, 16), null, 0.25, true));
      rejects("q is F64 but k is F32", () -> GlaChunk.forward(q, f32(2, 8, 1, 16), q, q, null, null, 0.25, false));
      rejects("dhT must be one of [F64], got F32",
          () -> GlaChunk.backward(q, f32(2, 1, 16, 16), q, q, q, q, null, null, 0.25));
      Tensor t = f64(2, 1, 16);
      rejects("state must be one of [F64], got F32", () -> GlaChunk.step(f32(2, 1, 16, 16), t, t, t, t, 0.25));
    }
  }

  @Test
  void ssdRejectsF32ParametersAndStatesWithF64Inputs() {
    try (TensorScope s = TensorScope.open()) {
      Tensor x = f64(2, 5, 2, 3);
      Tensor b = f64(2, 5, 1, 4);
      Tensor a = Tensor.full(F64, CPU, -1, 2);
      SsdChunk.Options opt = SsdChunk.Options.mamba2();
      rejects("A must be one of [F64], got F32", () -> SsdChunk.forward(new SsdChunk.Inputs(x, f64(2, 5, 2), null,
          Tensor.full(F32, CPU, -1, 2), b, b, null, null, null), opt, false));
      rejects("D must be one of [F64], got F32", () -> SsdChunk.forward(new SsdChunk.Inputs(x, f64(2, 5, 2), null, a, b,
          b, f32(2), null, null), opt, false));
      rejects("B is F32 but x is F64", () -> SsdChunk.forward(new SsdChunk.Inputs(x, f64(2, 5, 2), null, a,
          f32(2, 5, 1, 4), b, null, null, null), opt, false));
      rejects("initialState must be one of [F64], got F32", () -> SsdChunk.forward(new SsdChunk.Inputs(x, f64(2, 5, 2),
          null, a, b, b, null, f32(2, 2, 3, 4), null), opt, false));
      SsdChunk.Inputs ok = new SsdChunk.Inputs(x, f64(2, 5, 2), null, a, b, b, null, null, null);
      rejects("dFinalState must be one of [F64], got F32", () -> SsdChunk.backward(x, f32(2, 2, 3, 4), ok, opt, false));
    }
  }

  @Test
  void conv1dRejectsF32WeightsWithF64Inputs() {
    try (TensorScope s = TensorScope.open()) {
      Tensor x = f64(2, 5, 3);
      rejects("weight must be one of [F64], got F32", () -> CausalConv1d.forward(x, f32(3, 4), null, null, true, false));
      rejects("bias must be one of [F64], got F32", () -> CausalConv1d.forward(x, f64(3, 4), f32(3), null, true, false));
      rejects("dout is F32 but x is F64",
          () -> CausalConv1d.backward(f32(2, 5, 3), x, f64(3, 4), null, null, true));
    }
  }
}

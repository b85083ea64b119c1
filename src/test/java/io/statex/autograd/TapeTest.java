package io.statex.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.ops.Elementwise;
import io.statex.ops.Reductions;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tape's bookkeeping: accumulation, hooks, no-grad, single use, gradient accumulation across passes. */
class TapeTest {

  @Test
  void aLeafUsedTwiceGetsTheSumAndItsHookFiresOnceAfterTheLastUse() {
    long seed = Seeds.fresh("tape-hook");
    try (TensorScope scope = TensorScope.open();
        Tensor xv = Tensor.uniform(DType.F32, Device.CPU, seed, -2, 2, 7)) {
      Var x = Var.leaf(xv, true, "x");
      List<String> events = new ArrayList<>();
      x.onGradReady(v -> events.add("ready " + v.grad().toFloatArray()[0]));
      try (Tape tape = Tape.open()) {
        Var y = Elementwise.mul(x, x);                           // dy/dx = 2x
        Var z = Elementwise.mulScalar(x, 3);                     // dz/dx = 3
        Var loss = Reductions.sumAll(Elementwise.add(y, z));
        assertEquals(4, tape.size());
        tape.backward(loss);
      }
      float[] xs = xv.toFloatArray(), g = x.grad().toFloatArray();
      for (int i = 0; i < xs.length; i++) {
        assertEquals(2 * xs[i] + 3, g[i], 1e-6 * (1 + Math.abs(g[i])), "element " + i + " (" + Seeds.describe() + ")");
      }
      assertEquals(1, events.size(), "the hook must fire exactly once");
      assertEquals("ready " + g[0], events.get(0), "the hook must see the final gradient");
      x.releaseGrad();
    }
  }

  @Test
  void gradientsAccumulateAcrossTapesUntilZeroed() {
    try (TensorScope scope = TensorScope.open();
        Tensor xv = Tensor.of(new float[] {1, -2, 3}, 3)) {
      Var x = Var.leaf(xv, true, "x");
      for (int pass = 0; pass < 2; pass++) {
        try (Tape tape = Tape.open()) {
          tape.backward(Reductions.sumAll(Elementwise.mulScalar(x, 5)));
        }
      }
      assertArrayEquals(new float[] {10, 10, 10}, x.grad().toFloatArray());
      x.zeroGrad();
      assertArrayEquals(new float[] {0, 0, 0}, x.grad().toFloatArray());
      x.releaseGrad();
    }
  }

  @Test
  void noGradRecordsNothing() {
    try (TensorScope scope = TensorScope.open();
        Tensor xv = Tensor.of(new float[] {1, 2}, 2);
        Tape tape = Tape.open()) {
      Var x = Var.leaf(xv, true, "x");
      Var y;
      try (NoGrad off = NoGrad.enter()) {
        y = Elementwise.exp(x);
      }
      assertEquals(0, tape.size());
      assertFalse(y.requiresGrad());
      assertTrue(Elementwise.exp(x).requiresGrad());
      assertEquals(1, tape.size());
    }
  }

  @Test
  void backwardRunsOncePerTapeAndTheIntermediateGradientsAreFreed() {
    try (TensorScope scope = TensorScope.open();
        Tensor xv = Tensor.of(new float[] {0.5f}, 1)) {
      Var x = Var.leaf(xv, true, "x");
      try (Tape tape = Tape.open()) {
        Var y = Elementwise.sigmoid(x);
        Var loss = Reductions.sumAll(y);
        tape.backward(loss);
        assertNull(y.grad(), "an intermediate gradient outlived backward");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.backward(loss));
        assertTrue(e.getMessage().contains("already run"), e.getMessage());
      }
      double s = 1 / (1 + Math.exp(-0.5));
      assertEquals(s * (1 - s), x.grad().toFloatArray()[0], 1e-7);
      x.releaseGrad();
    }
  }
}

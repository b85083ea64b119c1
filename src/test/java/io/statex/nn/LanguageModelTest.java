package io.statex.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Whole-model checks on the CPU: names, initial loss, every parameter gets a gradient, checkpointing is exact. */
class LanguageModelTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void initialLossIsNearUniformAndCheckpointingIsExact(String preset) {
    long seed = Seeds.fresh("lm-" + preset);
    int vocab = 37, b = 3, t = 29;
    ModelConfig cfg = ModelPresets.get(preset, vocab);
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] ids = rnd.ints(b * t, 0, vocab).toArray();
    int[] targets = rnd.ints(b * t, -1, vocab).toArray();
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, seed))) {
      Map<String, float[]> plain = gradients(m, ids, targets, b, t, false);
      Map<String, float[]> ckpt = gradients(m, ids, targets, b, t, true);
      assertEquals(m.namedParameters().keySet(), plain.keySet());
      for (String name : plain.keySet()) {
        assertNotNull(plain.get(name), name + " got no gradient (" + Seeds.describe() + ")");
        assertTrue(norm(plain.get(name)) > 0, name + " has an all-zero gradient (" + Seeds.describe() + ")");
        assertArrayEquals(plain.get(name), ckpt.get(name), name + ": checkpointed gradient differs (" + Seeds.describe() + ")");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void decodingStepByStepEqualsTheChunkedForward(String preset) {
    long seed = Seeds.fresh("step-" + preset);
    int vocab = 23, b = 3, t = 21;
    int[] ids = new SplittableRandom(seed).ints(b * t, 0, vocab).toArray();
    Compute c = Compute.f32();
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, vocab), new Init(DType.F32, Device.CPU, seed));
        TensorScope scope = TensorScope.open()) {
      Tensor full;
      try (io.statex.autograd.NoGrad off = io.statex.autograd.NoGrad.enter()) {
        Var h = m.hidden(Tensor.ofInts(ids, b, t), c);
        full = io.statex.ops.MatMul.matmul(h.value(), m.headWeight().value(), false, true);  // [B, T, vocab]
        java.util.List<Tensor[]> state = m.newState(b, c);
        float[] want = full.toFloatArray();
        double err2 = 0, ref2 = 0;
        for (int step = 0; step < t; step++) {
          int[] col = new int[b];
          for (int i = 0; i < b; i++) {
            col[i] = ids[i * t + step];
          }
          float[] got = m.step(Tensor.ofInts(col, b), state, c).toFloatArray();
          for (int i = 0; i < b; i++) {
            for (int v = 0; v < vocab; v++) {
              double r = want[(i * t + step) * vocab + v], d = got[i * vocab + v] - r;
              err2 += d * d;
              ref2 += r * r;
            }
          }
        }
        double rel = Math.sqrt(err2 / ref2);
        assertTrue(rel < 1e-5, preset + ": step-by-step logits differ from the chunked forward by " + rel
            + " relative (" + Seeds.describe() + ")");
      }
    }
  }

  private static Map<String, float[]> gradients(LanguageModel m, int[] ids, int[] targets, int b, int t, boolean ckpt) {
    Map<String, float[]> out = new LinkedHashMap<>();
    try (TensorScope scope = TensorScope.open();
        Tape tape = Tape.open()) {
      Tensor idt = Tensor.ofInts(ids, b, t);
      Var loss = m.loss(idt, targets, new Compute(DType.F32, ckpt));
      double l = loss.value().item();
      double uniform = Math.log(m.config().vocabSize());
      assertTrue(Math.abs(l - uniform) < 0.5, "initial loss " + l + " far from ln(vocab) = " + uniform);
      tape.backward(loss);
    }
    m.namedParameters().forEach((name, p) -> {
      out.put(name, p.grad() == null ? null : p.grad().toFloatArray());
      p.var().releaseGrad();
    });
    return out;
  }

  private static double norm(float[] a) {
    double s = 0;
    for (float x : a) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}

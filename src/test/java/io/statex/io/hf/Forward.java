package io.statex.io.hf;

import io.statex.autograd.NoGrad;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.ops.MatMul;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.Arrays;
import java.util.List;

/** A model's next-token logits over a token sequence, by the chunked forward and by the recurrent step. */
public final class Forward {
  private Forward() {}

  /** Logits [T][vocab] of one forward pass over ids. */
  public static float[][] chunked(LanguageModel m, int[] ids) {
    try (NoGrad off = NoGrad.enter();
        TensorScope scope = TensorScope.open()) {
      Tensor h = m.hidden(Tensor.ofInts(ids, 1, ids.length).to(m.device()), Compute.f32()).value()
          .reshape(ids.length, m.config().hidden());
      return rows(MatMul.matmul(h, m.headWeight().value(), false, true).toFloatArray(), ids.length);
    }
  }

  /** Logits [T][vocab] of feeding ids one at a time through {@link LanguageModel#step}. */
  public static float[][] recurrent(LanguageModel m, int[] ids) {
    float[][] out = new float[ids.length][];
    try (NoGrad off = NoGrad.enter()) {
      List<Tensor[]> state = m.newState(1, Compute.f32());
      try {
        for (int t = 0; t < ids.length; t++) {
          try (TensorScope scope = TensorScope.open()) {
            out[t] = m.step(Tensor.ofInts(new int[] {ids[t]}, 1).to(m.device()), state, Compute.f32()).toFloatArray();
          }
        }
      } finally {
        state.forEach(layer -> Arrays.stream(layer).forEach(Tensor::close));
      }
    }
    return out;
  }

  private static float[][] rows(float[] flat, int t) {
    int v = flat.length / t;
    float[][] out = new float[t][];
    for (int i = 0; i < t; i++) {
      out[i] = Arrays.copyOfRange(flat, i * v, (i + 1) * v);
    }
    return out;
  }
}

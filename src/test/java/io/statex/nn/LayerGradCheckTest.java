package io.statex.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.autograd.GradCheck;
import io.statex.autograd.Var;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every layer's gradients (its parameters and its input) against central differences, in F64 on the
 * CPU: the layers as the models use them, at tiny sizes with awkward lengths.
 */
class LayerGradCheckTest {
  private static final double TOL = io.statex.testing.Tolerance.GRADCHECK;
  private static final double EPS = io.statex.testing.Tolerance.GRADCHECK_EPS;
  private static final Compute F64 = new Compute(DType.F64, false);

  @Test
  void linearAndNorms() {
    long seed = Seeds.fresh("grad-linear");
    Init init = new Init(DType.F64, Device.CPU, seed);
    try (TensorScope scope = TensorScope.open();
        Linear lin = new Linear(init, 6, 5, true);
        RMSNorm norm = new RMSNorm(init, 5, 1e-6)) {
      randomize(lin, seed);
      randomize(norm, seed + 1);
      Var x = input(seed, 3, 4, 6);
      check("linear+rmsnorm", () -> new Var[] {norm.forward(lin.forward(x, F64))}, params(x, lin, norm), seed);
    }
  }

  @Test
  void gatedMlp() {
    long seed = Seeds.fresh("grad-mlp");
    try (TensorScope scope = TensorScope.open();
        GatedMLP mlp = new GatedMLP(new Init(DType.F64, Device.CPU, seed), 8, 12)) {
      randomize(mlp, seed);
      Var x = input(seed, 2, 5, 8);
      check("gated mlp", () -> new Var[] {mlp.forward(x, F64)}, params(x, mlp), seed);
    }
  }

  @Test
  void gatedLinearAttentionWithAndWithoutShortConv() {
    for (int conv : new int[] {0, 4}) {
      long seed = Seeds.fresh("grad-gla-" + conv);
      GlaLayerConfig cfg = new GlaLayerConfig(2, 32, 64, 4, 16, 1e-6, conv);
      try (TensorScope scope = TensorScope.open();
          GatedLinearAttention attn = new GatedLinearAttention(new Init(DType.F64, Device.CPU, seed), 24, cfg)) {
        randomize(attn, seed);
        Var x = input(seed, 3, 67, 24);
        check("gla conv" + conv, () -> new Var[] {attn.forward(x, F64)}, params(x, attn), seed);
      }
    }
  }

  @Test
  void mamba2Mixer() {
    long seed = Seeds.fresh("grad-mamba2");
    Mamba2LayerConfig cfg = new Mamba2LayerConfig(32, 8, 16, 2, 4, 64, 0.001, 0.1, 1e-4, 1, 16, 1e-5);
    try (TensorScope scope = TensorScope.open();
        Mamba2Mixer mixer = new Mamba2Mixer(new Init(DType.F64, Device.CPU, seed), 16, cfg)) {
      randomize(mixer, seed);
      mixer.aLog().value().copyFrom(Tensor.uniform(DType.F64, Device.CPU, seed + 7, 0, 1, cfg.heads()));
      Var x = input(seed, 2, 69, 16);
      check("mamba2 mixer", () -> new Var[] {mixer.forward(x, F64)}, params(x, mixer), seed);
    }
  }

  @Test
  void wholeModelsThroughTheLoss() {
    for (String preset : new String[] {"gla-tiny", "mamba2-tiny"}) {
      long seed = Seeds.fresh("grad-lm-" + preset);
      int vocab = 17, b = 2, t = 13;
      SplittableRandom rnd = new SplittableRandom(seed);
      int[] ids = rnd.ints(b * t, 0, vocab).toArray();
      int[] targets = rnd.ints(b * t, -1, vocab).toArray();
      try (TensorScope scope = TensorScope.open();
          LanguageModel m = LanguageModel.create(ModelPresets.get(preset, vocab), new Init(DType.F64, Device.CPU, seed))) {
        randomize(m, seed);
        Tensor idt = Tensor.ofInts(ids, b, t);
        List<Var> leaves = new ArrayList<>();
        m.namedParameters().forEach((n, p) -> leaves.add(p.var()));
        check(preset, () -> new Var[] {m.loss(idt, targets, F64)}, leaves, seed);
        check(preset + " checkpointed", () -> new Var[] {m.loss(idt, targets, new Compute(DType.F64, true))}, leaves, seed);
      }
    }
  }

  private static void check(String what, Supplier<Var[]> f, List<Var> leaves, long seed) {
    for (GradCheck.Result r : GradCheck.check(f, leaves, seed, EPS, 12)) {
      assertTrue(r.passes(TOL), what + ": " + r + " (" + Seeds.describe() + ")");
    }
  }

  // Parameters at O(0.3) scale (the reference inits are too small for the gated paths to carry signal at this size).
  private static void randomize(Module m, long seed) {
    long s = seed;
    for (Parameter p : m.parameters()) {
      p.value().copyFrom(Tensor.uniform(DType.F64, Device.CPU, s++, -0.6, 0.6, p.value().shapeRef()));
    }
  }

  private static Var input(long seed, long... shape) {
    return Var.leaf(Tensor.uniform(DType.F64, Device.CPU, seed ^ 0xABCDL, -1, 1, shape), true, "x");
  }

  private static List<Var> params(Var x, Module... modules) {
    List<Var> out = new ArrayList<>();
    out.add(x);
    for (Module m : modules) {
      m.parameters().forEach(p -> out.add(p.var()));
    }
    return out;
  }
}

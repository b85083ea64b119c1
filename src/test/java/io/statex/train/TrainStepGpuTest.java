package io.statex.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.data.Mqar;
import io.statex.data.MqarConfig;
import io.statex.data.TokenBatch;
import io.statex.jni.CudaProbe;
import io.statex.nn.Compute;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelPresets;
import io.statex.nn.Parameter;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One training step on CUDA against the same step on the CPU (fp32: loss, every gradient, every
 * parameter after AdamW), and a bf16 mixed-precision step on CUDA against the same comparison on the
 * CPU. Tiny models, one MQAR batch with an odd batch size and a length that is not a multiple of any
 * chunk.
 *
 * <p>Why the bf16 step is not held to the 1e-2 bound of a single op: a whole step rounds activations
 * to bf16 at every op of every layer, and the error that leaves in the gradients is a property of bf16
 * mixed precision, not of the kernels. The CPU's bf16 path computes each op in double and rounds its
 * output once, the least error bf16 storage allows; measured over 30 seeds of this batch, its step
 * differs from the fp32 step by a median 1.00e-2 relative RMS over all gradients for mamba2-tiny (16 of
 * 30 above 1e-2, max 1.15e-2; the worst tensors are dt_bias, A_log and D, sums over every token) and
 * 4.6e-3 for gla-tiny (max 4.8e-3). A fixed 1e-2 bar would therefore fail half the draws of a
 * perfect bf16 implementation of Mamba2. The CUDA step is instead held to that floor: its distance
 * from the CUDA fp32 step may exceed the CPU's distance from the CPU fp32 step (same seed, same batch)
 * by at most {@link #BF16_EXCESS}, the room for the CUDA kernels' own bf16 operand roundings
 * (tensor-core inputs), each of which the op tests bound separately.
 */
@Tag("gpu")
class TrainStepGpuTest {
  private static final MqarConfig TASK = new MqarConfig(24, 24, 6, 6, 77, 1);
  /** fp32 on two devices: different summation orders through a few layers. */
  private static final double FP32_TOL = 1e-4;
  /** The bf16 policy for the loss and the parameters after one update: relative error <= 1e-2. */
  private static final double BF16_TOL = 1e-2;
  /** The CUDA bf16 step's gradient error may be at most this multiple of the CPU's once-rounded one. */
  private static final double BF16_EXCESS = 1.5;

  @BeforeAll
  static void cuda() {
    Assumptions.assumeTrue(CudaProbe.probe().usable(), () -> "CUDA is not usable here: " + CudaProbe.probe().reason());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void aCudaStepEqualsTheCpuStep(String preset) {
    long seed = Seeds.fresh("gpu-step-" + preset);
    TokenBatch batch = new Mqar(TASK, seed, 5).batch(0);
    Step cpu = step(preset, seed, batch, Device.CPU, Precision.FP32);
    Step gpu = step(preset, seed, batch, Device.cuda(0), Precision.FP32);
    check(preset + " fp32 cuda vs cpu", cpu, gpu, FP32_TOL);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void aBf16StepStaysWithinBf16ToleranceOfTheFp32Step(String preset) {
    long seed = Seeds.fresh("bf16-step-" + preset);
    TokenBatch batch = new Mqar(TASK, seed, 5).batch(0);
    Step f32 = step(preset, seed, batch, Device.cuda(0), Precision.FP32);
    Step bf16 = step(preset, seed, batch, Device.cuda(0), Precision.BF16_MIXED);
    Step cpuF32 = step(preset, seed, batch, Device.CPU, Precision.FP32);
    Step cpuBf16 = step(preset, seed, batch, Device.CPU, Precision.BF16_MIXED);
    double floor = relative(cpuF32.grads(), cpuBf16.grads())[0];
    double[] g = relative(f32.grads(), bf16.grads());
    System.out.printf(Locale.ROOT, "%s bf16 step: gradients %.4e from fp32 on cuda, %.4e on cpu (ratio %.3f)%n",
        preset, g[0], floor, g[0] / floor);
    assertTrue(g[0] <= BF16_EXCESS * floor, preset + " bf16 vs fp32 (cuda): gradients differ by " + g[0]
        + " relative RMS overall, more than " + BF16_EXCESS + " x the CPU's once-rounded bf16 step (" + floor
        + "; worst tensor " + (int) g[1] + " at " + g[2] + "; " + Seeds.describe() + ")");
    checkLossAndParams(preset + " bf16 vs fp32 (cuda)", f32, bf16, BF16_TOL);
  }

  /** The loss, the gradients, and the parameters after one AdamW update. */
  private record Step(double loss, Map<String, double[]> grads, Map<String, double[]> params) {}

  private static Step step(String preset, long seed, TokenBatch b, Device device, Precision p) {
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, TASK.vocabSize()), new Init(p.weights(), device, seed));
        AdamW opt = AdamW.standard(m.namedParameters(), 0.1)) {
      double loss;
      try (TensorScope scope = TensorScope.open();
          Tape tape = Tape.open()) {
        Tensor ids = Tensor.ofInts(b.inputs(), b.batch(), b.length()).to(device);
        Var l = m.loss(ids, b.targets(), new Compute(p.compute(), false));
        loss = l.value().item();
        tape.backward(l);
      }
      Map<String, double[]> grads = new LinkedHashMap<>(), params = new LinkedHashMap<>();
      m.namedParameters().forEach((n, q) -> grads.put(n, q.grad().toDoubleArray()));
      opt.step(1e-3);
      m.namedParameters().forEach((n, q) -> params.put(n, q.value().toDoubleArray()));
      m.namedParameters().values().forEach(q -> q.var().releaseGrad());
      return new Step(loss, grads, params);
    }
  }

  private static void check(String what, Step ref, Step got, double tol) {
    double[] g = relative(ref.grads(), got.grads());
    assertTrue(g[0] <= tol, what + ": gradients differ by " + g[0] + " relative RMS overall (worst tensor "
        + (int) g[1] + " at " + g[2] + "; " + Seeds.describe() + ")");
    checkLossAndParams(what, ref, got, tol);
  }

  private static void checkLossAndParams(String what, Step ref, Step got, double tol) {
    double lossErr = Math.abs(got.loss() - ref.loss()) / Math.abs(ref.loss());
    assertTrue(lossErr <= tol, what + ": loss " + got.loss() + " vs " + ref.loss() + " (relative " + lossErr + ", "
        + Seeds.describe() + ")");
    double[] w = relative(ref.params(), got.params());
    assertTrue(w[0] <= tol, what + ": parameters after AdamW differ by " + w[0] + " relative RMS (" + Seeds.describe() + ")");
  }

  // {relative RMS error over all tensors, index of the worst tensor, its relative error}.
  private static double[] relative(Map<String, double[]> ref, Map<String, double[]> got) {
    double e2 = 0, r2 = 0, worst = 0;
    int i = 0, worstAt = -1;
    for (Map.Entry<String, double[]> en : ref.entrySet()) {
      double[] a = en.getValue(), b = got.get(en.getKey());
      double te = 0, tr = 0;
      for (int k = 0; k < a.length; k++) {
        double d = b[k] - a[k];
        te += Double.isNaN(d) ? Double.POSITIVE_INFINITY : d * d;
        tr += a[k] * a[k];
      }
      e2 += te;
      r2 += tr;
      double rel = Math.sqrt(te / Math.max(tr, 1e-300));
      if (rel > worst) {
        worst = rel;
        worstAt = i;
      }
      i++;
    }
    return new double[] {Math.sqrt(e2 / r2), worstAt, worst};
  }
}

package io.statex.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.data.Mqar;
import io.statex.data.MqarConfig;
import io.statex.eval.Recall;
import io.statex.nn.Compute;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelPresets;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tiny GLA and Mamba2 models learn multi-query associative recall far above chance within a
 * CI-sized budget (a few hundred fp32 steps on the CPU): 4 key-value pairs over 16 keys and 16 values
 * in 32 tokens, scored on held-out examples. Chance is 1/16; the bar is four times that.
 *
 * <p>GLA runs on a fresh seed each time: in every run so far it ended between 0.38 and 0.97. Mamba2 runs
 * on one fixed seed, because whether it learns this task within a CI budget depends on the seed's
 * optimisation path, not on the code: over eight fresh seeds at lr 3e-2 and 400 steps it ended at
 * 0.16, 0.24, 0.25, 0.26, 0.32, 0.48, 0.76 and 0.82 (lr 1e-2: 0.25 to 0.85), and at 800 steps one
 * seed still stayed at 0.09 while others reached 0.52 to 0.86. A fresh seed would test that luck. The
 * fixed seed (0.82 at 400 steps when chosen) makes the Mamba2 case a deterministic check that the
 * training stack still teaches it the task (CPU training is deterministic for a given seed).
 */
class RecallLearningTest {
  private static final MqarConfig TASK = new MqarConfig(16, 16, 4, 4, 32, 1);

  @ParameterizedTest(name = "{0} lr {1} batch {2} steps {3} seed {4}")
  @CsvSource({"gla-tiny, 5e-3, 64, 400, fresh", "mamba2-tiny, 3e-2, 32, 400, -2056003629074776998"})
  void learnsRecallFarAboveChance(String preset, double lr, int batch, long steps, String seedSpec) throws IOException {
    long seed = seedSpec.equals("fresh") ? Seeds.fresh("learn-" + preset) : Long.parseLong(seedSpec);
    TrainConfig cfg = new TrainConfig(steps, 1, new Schedule(lr, 0, 30, steps), 0.1, 0.9, 0.95, 1.0, Precision.FP32, false,
        null, 1, 1, null, 3, false);
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, TASK.vocabSize()), new Init(Precision.FP32.weights(), Device.CPU, seed));
        Trainer t = new Trainer(m, new Mqar(TASK, seed, batch), cfg, null)) {
      t.run(Long.MAX_VALUE);
      double acc = Recall.accuracy(m, new Mqar(TASK, seed + 7919, 32), 0, 8, Compute.f32());
      double bar = 4 * TASK.chance();
      assertTrue(acc >= bar, preset + " reached " + acc + " recall accuracy, below " + bar + " (chance " + TASK.chance()
          + "; seed " + seed + (seedSpec.equals("fresh") ? ", " + Seeds.describe() : ", fixed") + ")");
      System.out.printf("%s: recall accuracy %.3f after %d steps (chance %.3f)%n", preset, acc, steps, TASK.chance());
    }
  }
}

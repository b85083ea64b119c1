package io.statex.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.data.Mqar;
import io.statex.data.MqarConfig;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelPresets;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exact resume and the NaN guard, on the CPU with tiny models. */
class TrainerTest {
  private static final MqarConfig TASK = new MqarConfig(16, 16, 4, 4, 24, 1);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void resumingFromACheckpointGivesTheSameLossesAsAnUninterruptedRun(String preset, @TempDir Path dir) throws IOException {
    long seed = Seeds.fresh("resume-" + preset);
    int steps = 6, stopAt = 3;
    List<Double> straight = losses(preset, seed, steps, null, Long.MAX_VALUE, false);
    List<Double> resumed = new ArrayList<>(losses(preset, seed, steps, dir, stopAt, false));
    assertTrue(Files.isRegularFile(dir.resolve("latest")), "no checkpoint was written");
    resumed.addAll(losses(preset, seed, steps, dir, Long.MAX_VALUE, true));
    assertEquals(straight, resumed, "losses after resume differ (" + Seeds.describe() + ")");
  }

  private static List<Double> losses(String preset, long seed, long steps, Path dir, long stopAt, boolean resume)
      throws IOException {
    TrainConfig cfg = new TrainConfig(steps, 2, new Schedule(3e-3, 1e-4, 2, steps), 0.1, 0.9, 0.95, 1.0,
        Precision.FP32, false, dir, 1, 2, null, 3, false);
    List<Double> out = new ArrayList<>();
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, TASK.vocabSize()), new Init(Precision.FP32.weights(), Device.CPU, seed));
        Trainer t = new Trainer(m, new Mqar(TASK, seed, 3), cfg, null)) {
      if (resume) {
        assertEquals(3, t.resume(), "resumed at the wrong step");
      }
      t.run(stopAt).forEach(r -> out.add(r.loss()));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gla-tiny"})
  void nonFiniteStepsAreSkippedAndTooManyStopTheRun(String preset) throws IOException {
    long seed = Seeds.fresh("nan-" + preset);
    TrainConfig cfg = new TrainConfig(10, 1, new Schedule(1e-3, 0, 0, 10), 0.1, 0.9, 0.95, 1.0, Precision.FP32, false,
        null, 1, 1, null, 3, false);
    try (LanguageModel m = LanguageModel.create(ModelPresets.get(preset, TASK.vocabSize()), new Init(Precision.FP32.weights(), Device.CPU, seed));
        Trainer t = new Trainer(m, new Mqar(TASK, seed, 2), cfg, null)) {
      m.namedParameters().get("model.norm.weight").value().fill(Double.NaN);
      Trainer.TrainingDiverged e = assertThrows(Trainer.TrainingDiverged.class, () -> t.run(Long.MAX_VALUE));
      assertTrue(e.getMessage().contains("3 steps in a row"), e.getMessage());
      assertEquals(3, t.skipped());
      assertEquals(2, t.step(), "the failing step must not count as done");
    }
  }
}

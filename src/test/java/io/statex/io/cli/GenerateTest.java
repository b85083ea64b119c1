package io.statex.io.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.cli.Generation;
import io.statex.io.hf.Forward;
import io.statex.io.hf.HfCheckpoint;
import io.statex.io.hf.Layout;
import io.statex.io.tokenizer.Tokenizer;
import io.statex.nn.Compute;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Recurrent generation: greedy picks the full forward's argmax at every step; sampling is seeded and honest. */
class GenerateTest {
  @TempDir Path dir;

  /** A model whose logits are far from uniform, so argmax ties are rare. */
  private static LanguageModel model(String preset, long seed) {
    ModelConfig cfg = ModelPresets.get(preset, 53);
    LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, seed));
    m.namedParameters().forEach((name, p) -> {
      if (name.endsWith("embeddings.weight") || name.endsWith("embedding.weight") || name.equals("lm_head.weight")) {
        try (Tensor r = Tensor.normal(DType.F32, Device.CPU, seed ^ name.hashCode(), 0, 1, p.value().shape())) {
          p.value().copyFrom(r);
        }
      }
    });
    return m;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gla-tiny", "mamba2-tiny"})
  void greedyIsTheArgmaxOfTheFullForwardAtEveryStep(String preset) {
    long seed = Seeds.fresh("greedy-" + preset);
    SplittableRandom r = new SplittableRandom(seed);
    int[] prompt = r.ints(7, 0, 53).toArray();
    try (LanguageModel m = model(preset, seed)) {
      int[] made = Generation.run(m, prompt, 40, -1, Generation.Sampling.greedy(), Compute.f32(), id -> {});
      assertEquals(40, made.length);
      int[] all = new int[prompt.length + made.length - 1];
      System.arraycopy(prompt, 0, all, 0, prompt.length);
      System.arraycopy(made, 0, all, prompt.length, made.length - 1);
      float[][] logits = Forward.chunked(m, all);
      for (int j = 0; j < made.length; j++) {
        float[] row = logits[prompt.length - 1 + j];
        float best = row[Generation.argmax(row)];
        // the step and the chunked forward round differently: a near tie may go either way, nothing more
        assertTrue(row[made[j]] >= best - 1e-4f * Math.max(1, Math.abs(best)),
            "step " + j + ": generated " + made[j] + " (logit " + row[made[j]] + "), full forward's argmax "
                + Generation.argmax(row) + " (logit " + best + ") " + Seeds.describe());
      }
    }
  }

  @Test
  void samplingIsSeededAndStopsAtTheStopToken() {
    long seed = Seeds.fresh("sampling");
    int[] prompt = {3, 1, 4, 1, 5};
    try (LanguageModel m = model("mamba2-tiny", seed)) {
      Generation.Sampling s = new Generation.Sampling(1.0, 10, 42);
      int[] a = Generation.run(m, prompt, 30, -1, s, Compute.f32(), id -> {});
      int[] b = Generation.run(m, prompt, 30, -1, s, Compute.f32(), id -> {});
      assertArrayEquals(a, b, "same seed, same tokens");
      int[] greedy = Generation.run(m, prompt, 30, -1, Generation.Sampling.greedy(), Compute.f32(), id -> {});
      assertArrayEquals(greedy, Generation.run(m, prompt, 30, -1, new Generation.Sampling(0.7, 1, 9), Compute.f32(), id -> {}),
          "top-k 1 is greedy");
      int stop = greedy[4];
      int[] stopped = Generation.run(m, prompt, 30, stop, Generation.Sampling.greedy(), Compute.f32(), id -> {});
      int first = 0;
      while (greedy[first] != stop) {
        first++;
      }
      assertArrayEquals(java.util.Arrays.copyOf(greedy, first + 1), stopped);
    }
  }

  /** The sampler draws from softmax(logits / T) over the top k: frequencies within 6 standard deviations. */
  @Test
  void samplerFrequenciesFollowTheSoftmax() {
    float[] logits = {1.0f, 2.5f, -1f, 2.0f, 0.5f};
    int draws = 40_000;
    for (int k : new int[] {0, 3}) {
      Generation.Sampling s = new Generation.Sampling(0.8, k, Seeds.fresh("sampler" + k));
      java.util.SplittableRandom rng = new java.util.SplittableRandom(s.seed());
      int[] counts = new int[logits.length];
      for (int i = 0; i < draws; i++) {
        counts[s.pick(logits, rng)]++;
      }
      double[] p = new double[logits.length];
      double z = 0;
      for (int i = 0; i < p.length; i++) {
        boolean kept = k == 0 || logits[i] >= 1.0f; // the 3 largest are 2.5, 2.0, 1.0
        p[i] = kept ? Math.exp(logits[i] / 0.8) : 0;
        z += p[i];
      }
      for (int i = 0; i < p.length; i++) {
        double want = p[i] / z;
        double sd = Math.sqrt(want * (1 - want) / draws);
        assertEquals(want, counts[i] / (double) draws, 6 * sd + 1e-12, "k=" + k + " token " + i + " " + Seeds.describe());
      }
    }
  }

  /** The command end to end: a tiny LLaMA-vocabulary model saved as GLA, prompted through the tokenizer. */
  @Test
  void generateCommandPrintsThePromptAndItsContinuation() throws IOException {
    Path ck = dir.resolve("gla");
    ModelConfig cfg = new ModelConfig(ModelConfig.Family.GLA, 32000, 16, java.util.List.of(new GlaLayerConfig(1, 16, 16, 16, 16, 1e-6)),
        16, true, 1e-6, 0.02); // the GLA kernels take head widths in multiples of 16
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, Seeds.fresh("generate-cli")))) {
      HfCheckpoint.save(m, ck, Layout.GLA);
    }
    Path tok = TokenizeCommandTest.llama();
    Cli.Result r = Cli.run("generate", "--checkpoint", ck.toString(), "--tokenizer", tok.toString(), "--prompt",
        "The state of", "--max-new", "6", "--device", "cpu");
    assertEquals(0, r.code(), String.valueOf(r.error()));
    assertTrue(r.out().startsWith("The state of"), r.out());
    Tokenizer t = Tokenizer.fromJson(tok);
    try (LanguageModel m = HfCheckpoint.load(ck, Device.CPU, DType.F32)) {
      int[] prompt = t.encode("The state of", true);
      int[] made = Generation.run(m, prompt, 6, t.eosId().getAsInt(), Generation.Sampling.greedy(), Compute.f32(), id -> {});
      int[] all = java.util.Arrays.copyOf(prompt, prompt.length + made.length);
      System.arraycopy(made, 0, all, prompt.length, made.length);
      assertEquals(t.decode(all, true) + System.lineSeparator(), r.out());
    }
    Exception e = Cli.run("generate", "--checkpoint", ck.toString(), "--tokenizer", tok.toString(), "--prompt", "x",
        "--temperature", "-1", "--device", "cpu").error();
    assertEquals("--temperature: expected a finite number >= 0, got -1.0", e.getMessage());
  }
}

package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.json.JsonException;
import io.statex.io.safetensors.SafetensorsFile;
import io.statex.io.safetensors.SafetensorsWriter;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.testing.Seeds;
import io.statex.train.AdamW;
import io.statex.train.Checkpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that do not match their config fail naming the file, the tensor or field, and both values. */
class HfCheckpointBadInputTest {
  @TempDir Path dir;

  private Path saved(ModelConfig cfg, Layout layout) throws IOException {
    Path out = dir.resolve(layout.cliName() + "-" + cfg.tieEmbeddings());
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, Seeds.fresh("bad-" + layout)))) {
      HfCheckpoint.save(m, out, layout);
    }
    return out;
  }

  /** Rewrites model.safetensors after edit changes the name -> tensor map. */
  private static void rewrite(Path ckpt, Consumer<Map<String, Tensor>> edit) throws IOException {
    Path file = ckpt.resolve("model.safetensors");
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String n : f.names()) {
        tensors.put(n, f.load(n, Device.CPU));
      }
    }
    edit.accept(tensors);
    SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
    tensors.forEach(w::put);
    w.write(file);
    tensors.values().forEach(Tensor::close);
  }

  private static <T extends Exception> String failure(Class<T> type, Path ckpt) {
    return assertThrows(type, () -> HfCheckpoint.load(ckpt, Device.CPU, DType.F32).close()).getMessage();
  }

  @Test
  void missingTensor() throws IOException {
    Path ck = saved(ModelPresets.gla(20, 16, 2, 2, 4, false), Layout.GLA);
    rewrite(ck, t -> t.remove("model.layers.1.attn.q_proj.weight").close());
    String m = failure(CheckpointException.class, ck);
    assertTrue(m.startsWith(ck.resolve("model.safetensors") + ": 1 tensor(s) that " + ck.resolve("config.json")
        + " implies are missing: \"model.layers.1.attn.q_proj.weight\""), m);
  }

  @Test
  void untiedHeadMissing() throws IOException {
    Path ck = saved(ModelPresets.gla(20, 16, 1, 2, 4, false), Layout.GLA);
    rewrite(ck, t -> t.remove("lm_head.weight").close());
    String m = failure(CheckpointException.class, ck);
    assertTrue(m.contains("\"lm_head.weight\"") && m.endsWith("says the head is not tied to the embedding)"), m);
  }

  @Test
  void wrongShape() throws IOException {
    Path ck = saved(ModelPresets.mamba2(20, 16, 2, 8, 4), Layout.MAMBA2_ORIGINAL);
    rewrite(ck, t -> t.put("backbone.layers.0.mixer.A_log", Tensor.zeros(DType.F32, Device.CPU, 5)).close());
    String m = failure(CheckpointException.class, ck);
    assertEquals(ck.resolve("model.safetensors") + ": tensor \"backbone.layers.0.mixer.A_log\" has shape [5], but "
        + ck.resolve("config.json") + " implies [4]", m);
  }

  @Test
  void unexpectedTensors() throws IOException {
    Path ck = saved(ModelPresets.mamba2(20, 16, 1, 8, 4), Layout.MAMBA2_HF);
    rewrite(ck, t -> {
      t.put("backbone.layers.1.norm.weight", Tensor.zeros(DType.F32, Device.CPU, 16));
      t.put("extra", Tensor.zeros(DType.F32, Device.CPU, 1));
    });
    String m = failure(CheckpointException.class, ck);
    assertTrue(m.endsWith("2 tensor(s) that " + ck.resolve("config.json")
        + " does not account for: \"backbone.layers.1.norm.weight\", \"extra\""), m);
  }

  @Test
  void integerTensor() throws IOException {
    Path ck = saved(ModelPresets.gla(20, 16, 1, 2, 4, true), Layout.GLA);
    rewrite(ck, t -> t.put("model.norm.weight", Tensor.zeros(DType.I32, Device.CPU, 16)).close());
    assertEquals(ck.resolve("model.safetensors") + ": tensor \"model.norm.weight\" is I32, expected a float type",
        failure(CheckpointException.class, ck));
  }

  /** A tied head stored anyway (as torch.save keeps both names) loads when equal, fails when not. */
  @Test
  void storedTiedHeadMustEqualTheEmbedding() throws IOException {
    Path ck = saved(ModelPresets.mamba2(20, 16, 1, 8, 4), Layout.MAMBA2_ORIGINAL);
    rewrite(ck, t -> t.put("lm_head.weight", t.get("backbone.embedding.weight").copy()));
    HfCheckpoint.load(ck, Device.CPU, DType.F32).close();
    rewrite(ck, t -> t.get("lm_head.weight").fill(0.5));
    String m = failure(CheckpointException.class, ck);
    assertTrue(m.contains("\"lm_head.weight\" differs from \"backbone.embedding.weight\""), m);
  }

  /** transformers renames backbone.embedding. to backbone.embeddings. on load; both spellings load. */
  @Test
  void hfLayoutAcceptsTheOriginalEmbeddingName() throws IOException {
    Path ck = saved(ModelPresets.mamba2(20, 16, 1, 8, 4), Layout.MAMBA2_HF);
    float[] want;
    try (LanguageModel m = HfCheckpoint.load(ck, Device.CPU, DType.F32)) {
      want = m.headWeight().value().toFloatArray();
    }
    rewrite(ck, t -> t.put("backbone.embedding.weight", t.remove("backbone.embeddings.weight")));
    try (LanguageModel m = HfCheckpoint.load(ck, Device.CPU, DType.F32)) {
      assertArrayEquals(want, m.headWeight().value().toFloatArray());
    }
  }

  @Test
  void badConfigs() throws IOException {
    Path ck = saved(ModelPresets.gla(20, 16, 1, 2, 4, false), Layout.GLA);
    Path cfg = ck.resolve("config.json");
    String text = Files.readString(cfg);
    Files.writeString(cfg, text.replace("\"gla\"", "\"rwkv7\""));
    assertEquals(cfg + ": model_type: \"rwkv7\" is not supported (expected \"gla\" or \"mamba2\")",
        failure(CheckpointException.class, ck));
    Files.writeString(cfg, text.substring(0, text.length() / 2));
    assertTrue(failure(JsonException.class, ck).startsWith(cfg + ": JSON syntax error at line "));
    Files.writeString(cfg, text.replace("\"hidden_size\": 16", "\"hidden_size\": 24"));
    assertEquals(ck.resolve("model.safetensors") + ": tensor \"model.embeddings.weight\" has shape [20, 16], but " + cfg
        + " implies [20, 24]", failure(CheckpointException.class, ck));
    Files.delete(cfg);
    assertEquals(ck + ": no config.json, and " + ck.resolve("model.safetensors")
        + " has no \"statex.config\" metadata of a training checkpoint", failure(CheckpointException.class, ck));
    assertTrue(failure(CheckpointException.class, dir.resolve("nowhere")).startsWith(dir.resolve("nowhere") + ": not a checkpoint"));
  }

  /** The engine's training checkpoints load from their root (newest step) or a step directory. */
  @Test
  void trainingCheckpoints() throws IOException {
    ModelConfig cfg = ModelPresets.mamba2(20, 16, 2, 8, 4);
    Path root = dir.resolve("run");
    Map<String, float[]> want;
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, Seeds.fresh("training")));
        AdamW opt = AdamW.standard(m.namedParameters(), 0.1)) {
      want = ModelValues.of(m);
      Checkpoints.save(root, new Checkpoints.State(7, 0, 70), m.namedParameters(), opt, cfg, 2);
    }
    for (Path p : new Path[] {root, root.resolve("step-00000007")}) {
      try (HfCheckpoint c = HfCheckpoint.open(p)) {
        assertEquals(HfConfig.of(cfg, Layout.MAMBA2_ORIGINAL), c.config());
        try (LanguageModel m = c.load(Device.CPU, DType.F32)) {
          ModelValues.assertSame(want, ModelValues.of(m));
        }
      }
    }
  }

  @Test
  void bf16LoadsRoundedAndIsTheStoredDTypeOfBf16Files() throws IOException {
    ModelConfig cfg = ModelPresets.gla(20, 16, 1, 2, 4, false);
    Path f32 = dir.resolve("f32");
    Path bf16 = dir.resolve("bf16");
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, Seeds.fresh("bf16")))) {
      HfCheckpoint.save(m, f32, Layout.GLA);
    }
    try (LanguageModel m = HfCheckpoint.load(f32, Device.CPU, DType.BF16)) {
      assertEquals(DType.BF16, m.parameterDType());
      HfCheckpoint.save(m, bf16, Layout.GLA);
    }
    try (HfCheckpoint a = HfCheckpoint.open(f32); HfCheckpoint b = HfCheckpoint.open(bf16)) {
      assertEquals(DType.F32, a.storedDType());
      assertEquals(DType.BF16, b.storedDType());
      try (LanguageModel x = a.load(Device.CPU, DType.BF16); LanguageModel y = b.load(Device.CPU, DType.BF16)) {
        ModelValues.assertSame(ModelValues.of(x), ModelValues.of(y));
      }
    }
  }
}

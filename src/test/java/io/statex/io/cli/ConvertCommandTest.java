package io.statex.io.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.hf.HfCheckpoint;
import io.statex.io.hf.HfConfig;
import io.statex.io.hf.HfConfigJson;
import io.statex.io.hf.Layout;
import io.statex.io.hf.ModelValues;
import io.statex.io.safetensors.SafetensorsCheckpoint;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statex convert between the layouts, and statex train --init-from a converted checkpoint. */
class ConvertCommandTest {
  @TempDir Path dir;

  @Test
  void mamba2ThroughEveryLayoutKeepsTheWeightsAndThePadding() throws IOException {
    Path original = dir.resolve("original");
    Files.createDirectories(original);
    // the published layout: vocab_size 50 padded to a multiple of 16 (64 rows)
    Files.writeString(original.resolve("config.json"), """
        {"d_model": 16, "n_layer": 2, "vocab_size": 50, "ssm_cfg": {"layer": "Mamba2", "d_state": 8, "headdim": 8},
         "pad_vocab_size_multiple": 16, "tie_embeddings": true}""");
    HfConfig published = HfConfigJson.read(original.resolve("config.json"));
    ModelConfig cfg = published.model();
    Map<String, float[]> want;
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, Seeds.fresh("convert")))) {
      want = ModelValues.of(m);
      HfCheckpoint.save(m, published, original, HfCheckpoint.DEFAULT_SHARD_BYTES);
    }
    Path hf = dir.resolve("hf");
    Path back = dir.resolve("back");
    assertEquals(0, Cli.run("convert", "--from", original.toString(), "--to", hf.toString(), "--layout", "mamba2-hf").code());
    assertEquals(0, Cli.run("convert", "--from", hf.toString(), "--to", back.toString(), "--layout", "mamba2-original",
        "--max-shard-bytes", "4000").code());
    try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(hf)) {
      assertTrue(ck.contains("backbone.embeddings.weight"));
    }
    try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(back)) {
      assertTrue(ck.files().size() > 1, "sharded by --max-shard-bytes");
    }
    assertTrue(Files.readString(hf.resolve("config.json")).contains("\"vocab_size\": 64"), "HF layout: the padded vocabulary");
    assertTrue(Files.readString(back.resolve("config.json")).contains("\"vocab_size\": 64"));
    for (Path p : new Path[] {hf, back}) {
      try (LanguageModel m = HfCheckpoint.load(p, Device.CPU, DType.F32)) {
        assertEquals(64, m.config().vocabSize());
        ModelValues.assertSame(want, ModelValues.of(m));
      }
    }
    Cli.Result bf16 = Cli.run("convert", "--from", hf.toString(), "--to", dir.resolve("bf16").toString(), "--layout", "mamba2-hf",
        "--dtype", "bf16");
    assertEquals(0, bf16.code());
    try (HfCheckpoint c = HfCheckpoint.open(dir.resolve("bf16"))) {
      assertEquals(DType.BF16, c.storedDType());
    }
    Exception e = Cli.run("convert", "--from", hf.toString(), "--to", dir.resolve("x").toString(), "--layout", "gla").error();
    assertEquals("layout: a MAMBA2 model cannot be written as gla (GLA)", e.getMessage());
    e = Cli.run("convert", "--from", hf.toString(), "--to", hf.toString(), "--layout", "mamba2-hf").error();
    assertTrue(e.getMessage().contains("is the source directory"), e.getMessage());
    e = Cli.run("convert", "--from", hf.toString(), "--to", dir.resolve("y").toString(), "--layout", "mamba3").error();
    assertEquals("layout: expected one of [gla, mamba2-original, mamba2-hf], got 'mamba3'", e.getMessage());
  }

  @Test
  void trainStartsFromAConvertedCheckpoint() throws IOException {
    Path ck = dir.resolve("gla");
    ModelConfig cfg = ModelPresets.gla(160, 64, 1, 2, 2, false);
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, Seeds.fresh("init-from")))) {
      HfCheckpoint.save(m, ck, Layout.GLA);
    }
    Cli.Result r = Cli.run("train", "--init-from", ck.toString(), "--steps", "2", "--warmup", "1", "--batch", "2",
        "--seq-len", "32", "--mqar-pairs", "2", "--mqar-vocab", "16", "--eval-batches", "1", "--device", "cpu");
    assertEquals(0, r.code(), String.valueOf(r.error()));
    assertTrue(r.out().startsWith("statex train: " + ck), r.out());
    Exception e = Cli.run("train", "--init-from", ck.toString(), "--steps", "1", "--mqar-vocab", "200", "--device", "cpu").error();
    assertTrue(e.getMessage().startsWith("the model's vocabulary (160) is smaller than the data's (401)"), e.getMessage());
  }
}

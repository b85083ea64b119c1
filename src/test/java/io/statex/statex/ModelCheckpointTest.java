package io.statex.statex;

import static io.statex.statex.ExpandFixtures.assertBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.ModelConfigJson;
import io.statex.io.safetensors.SafetensorsWriter;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The model file statex expand reads and writes: round trips, and files that must be refused before allocation. */
class ModelCheckpointTest {
  @TempDir Path dir;

  private static ModelConfig tiny() {
    return ModelPresets.mamba2(29, 32, 2, 16, 8);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = DType.class, names = {"F32", "BF16"})
  void aSavedModelLoadsBackBitForBit(DType dtype) throws IOException {
    long seed = Seeds.fresh("ckpt-" + dtype);
    try (LanguageModel m = LanguageModel.create(tiny(), new Init(dtype, Device.CPU, seed))) {
      Path file = ModelCheckpoint.save(dir.resolve("a"), m, Map.of("note", "x"));
      assertEquals(dir.resolve("a").resolve("model.safetensors"), file);
      try (LanguageModel back = ModelCheckpoint.load(dir.resolve("a"), Device.CPU)) {
        assertEquals(m.config(), back.config());
        assertEquals(dtype, back.parameterDType());
        m.namedParameters().forEach((n, p) -> assertBits(n, p.value().toFloatArray(), back.namedParameters().get(n).value().toFloatArray()));
      }
    }
  }

  @Test
  void aMissingFileSaysWhatWasExpected() {
    IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.load(dir, Device.CPU));
    assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("step-N"), e.getMessage());
  }

  @Test
  void aFileWithoutTheConfigIsRefused() throws IOException {
    Path f = oneTensorFile("plain.safetensors", Map.of("format", "pt"));
    IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.load(f, Device.CPU));
    assertTrue(e.getMessage().contains("statex.config") && e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void aBrokenConfigNamesTheKey() throws IOException {
    Path f = oneTensorFile("broken.safetensors", Map.of("statex.config", "{\"model_type\": \"rwkv\"}"));
    IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.load(f, Device.CPU));
    assertTrue(e.getMessage().contains("statex.config") && e.getMessage().contains("model_type"), e.getMessage());
  }

  @Test
  void aConfigClaimingMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
    // the tiny model's tensors under a config whose vocabulary would need 2^24 x 32 elements (refused by
    // the size check), and one beyond the config reader's own bound on vocabularies
    ModelConfig big = new ModelConfig(ModelConfig.Family.MAMBA2, 1L << 24, 32, tiny().layers(), 0, true, 1e-5, 0.02);
    ModelConfig huge = new ModelConfig(ModelConfig.Family.MAMBA2, Long.MAX_VALUE / 2, 32, tiny().layers(), 0, true, 1e-5, 0.02);
    for (ModelConfig claimed : new ModelConfig[] {big, huge}) {
      Path f = dir.resolve("claims.safetensors");
      try (LanguageModel m = LanguageModel.create(tiny(), new Init(DType.F32, Device.CPU, 1))) {
        SafetensorsWriter w = new SafetensorsWriter().metadata("statex.config", ModelConfigJson.write(claimed));
        m.namedParameters().forEach((n, p) -> w.put(n, p.value()));
        w.write(f);
      }
      IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.load(f, Device.CPU));
      assertTrue(e.getMessage().contains("holds") || e.getMessage().contains("overflows")
          || e.getMessage().contains("vocab_size: expected an integer in"), e.getMessage());
    }
  }

  @Test
  void aRenamedTensorIsReportedByName() throws IOException {
    Path f = dir.resolve("renamed.safetensors");
    try (LanguageModel m = LanguageModel.create(tiny(), new Init(DType.F32, Device.CPU, 1))) {
      SafetensorsWriter w = new SafetensorsWriter().metadata("statex.config", ModelConfigJson.write(m.config()));
      m.namedParameters().forEach((n, p) -> w.put(n.replace("A_log", "A"), p.value()));
      w.write(f);
    }
    IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.load(f, Device.CPU));
    assertTrue(e.getMessage().contains("A_log") && e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void aTruncatedFileIsRefused() throws IOException {
    Path f;
    try (LanguageModel m = LanguageModel.create(tiny(), new Init(DType.F32, Device.CPU, 1))) {
      f = ModelCheckpoint.save(dir.resolve("t"), m, Map.of());
    }
    byte[] all = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
    assertThrows(IOException.class, () -> ModelCheckpoint.load(f, Device.CPU));
  }

  private Path oneTensorFile(String name, Map<String, String> metadata) throws IOException {
    Path f = dir.resolve(name);
    try (Tensor t = Tensor.zeros(DType.F32, Device.CPU, 3)) {
      new SafetensorsWriter().metadata(metadata).put("x", t).write(f);
    }
    return f;
  }
}

package io.statex.io.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.safetensors.SafetensorsCheckpoint;
import io.statex.io.safetensors.SafetensorsFile;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** load -> save -> load keeps every name, shape and bit, in one file and in shards, for each layout. */
class HfCheckpointRoundTripTest {
  @TempDir Path dir;

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Layout l : Layout.values()) {
      for (boolean sharded : new boolean[] {false, true}) {
        for (boolean expanded : new boolean[] {false, true}) {
          out.add(Arguments.of(l, sharded, expanded));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} sharded={1} expanded={2}")
  @MethodSource("cases")
  void saveLoadSaveKeepsEverything(Layout layout, boolean sharded, boolean expanded) throws IOException {
    String name = "roundTrip-" + layout + sharded + expanded;
    SplittableRandom r = new SplittableRandom(Seeds.fresh(name));
    ModelConfig cfg = TinyModels.random(layout, expanded, r);
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, r.nextLong()))) {
      long shard = sharded ? Math.max(64, 4 * m.parameterCount() / 3) : HfCheckpoint.DEFAULT_SHARD_BYTES;
      Map<String, float[]> original = ModelValues.of(m);
      HfCheckpoint.save(m, HfConfig.of(cfg, layout), first, shard);
      assertLayoutNames(first, layout, m, sharded);
      try (HfCheckpoint c = HfCheckpoint.open(first)) {
        assertEquals(HfConfig.of(cfg, layout), c.config(), Seeds.describe());
        try (LanguageModel back = c.load(Device.CPU, DType.F32)) {
          ModelValues.assertSame(original, ModelValues.of(back));
          HfCheckpoint.save(back, c.config(), second, shard);
        }
      }
      try (LanguageModel again = HfCheckpoint.load(second, Device.CPU, DType.F32)) {
        ModelValues.assertSame(original, ModelValues.of(again));
      }
      assertEquals(Files.readString(first.resolve("config.json")), Files.readString(second.resolve("config.json")));
      assertEquals(expanded, Files.readString(first.resolve("config.json")).contains("statex_layers"),
          "statex_layers is written exactly when layers differ");
    }
  }

  /** The files hold the layout's names (a tied head not stored) and the reference metadata. */
  private static void assertLayoutNames(Path dir, Layout layout, LanguageModel m, boolean sharded) throws IOException {
    List<String> expected = new ArrayList<>();
    m.namedParameters().keySet().forEach(n -> expected.add(layout.fileName(n)));
    expected.sort(null);
    try (SafetensorsCheckpoint ck = SafetensorsCheckpoint.open(dir)) {
      assertEquals(expected, ck.names());
      assertEquals(sharded, ck.files().size() > 1, "shards: " + ck.files());
      for (SafetensorsFile f : ck.files()) {
        assertEquals(Map.of("format", "pt"), f.metadata());
      }
    }
    assertTrue(expected.contains("lm_head.weight") != m.config().tieEmbeddings());
    assertEquals(layout == Layout.MAMBA2_HF, expected.contains("backbone.embeddings.weight"));
  }
}

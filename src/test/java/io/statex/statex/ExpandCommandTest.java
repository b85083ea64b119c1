package io.statex.statex;

import static io.statex.statex.ExpandFixtures.assertBits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.cli.ExpandCommand;
import io.statex.io.safetensors.SafetensorsFile;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelPresets;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** statex expand end to end: the written model equals the in-process expansion, bit for bit. */
class ExpandCommandTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "reset={0}")
  @ValueSource(booleans = {true, false})
  void expandWritesTheExpandedModelAndItsConfig(boolean reset) throws IOException {
    long seed = Seeds.fresh("cli-expand-" + reset);
    try (LanguageModel src = ExpandFixtures.perturbed(ModelPresets.mamba2(29, 32, 4, 16, 8), seed)) {
      ModelCheckpoint.save(dir.resolve("src"), src, Map.of());
      List<String> args = new ArrayList<>(List.of("--from", dir.resolve("src").toString(), "--to",
          dir.resolve("out").toString(), "--every", "3", "--state-factor", "2", "--init", "inherit", "--seed", "5",
          "--device", "cpu"));
      if (!reset) {
        args.add("--no-reset");
      }
      assertEquals(0, run(args.toArray(String[]::new)));
      ExpandSpec spec = new ExpandSpec(LayerSelection.every(3), 1, 2, InitPolicy.INHERIT, reset);
      try (LanguageModel want = StateX.expand(src, spec, ExpandFixtures.init(5));
          LanguageModel got = ModelCheckpoint.load(dir.resolve("out"), Device.CPU)) {
        assertEquals(want.config(), got.config());
        want.namedParameters().forEach((n, p) -> assertBits(n, p.value().toFloatArray(), got.namedParameters().get(n).value().toFloatArray()));
      }
      try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("out").resolve("model.safetensors"))) {
        assertEquals(spec.describe() + " --seed 5", f.metadata().get("statex.expand"));
      }
      try (var files = Files.list(dir.resolve("out"))) {
        assertEquals(1, files.count(), "only model.safetensors remains in the output directory");
      }
    }
  }

  @Test
  void badArgumentsFailWithoutWritingAnything() throws IOException {
    long seed = Seeds.fresh("cli-bad");
    try (LanguageModel src = ExpandFixtures.perturbed(ModelPresets.gla(29, 64, 3, 2, 2, false, 0), seed)) {
      ModelCheckpoint.save(dir.resolve("src"), src, Map.of());
    }
    String from = dir.resolve("src").toString(), to = dir.resolve("out").toString();
    StringWriter err = new StringWriter();
    assertNotEquals(0, run(err, "--from", from, "--to", to, "--layers", "0,3", "--device", "cpu"));
    assertTrue(err.toString().contains("layer 3"), err.toString());
    assertNotEquals(0, run(err, "--from", from, "--to", to, "--every", "2", "--require-divides", "--device", "cpu"));
    assertNotEquals(0, run(err, "--from", from, "--to", to, "--init", "inherit-zero", "--device", "cpu"));
    StringWriter noReset = new StringWriter();
    assertNotEquals(0, run(noReset, "--from", from, "--to", to, "--no-reset", "--device", "cpu"));
    assertTrue(noReset.toString().contains("(no reset) applies to Mamba2 layers only"), noReset.toString());
    assertNotEquals(0, run(err, "--from", from, "--to", to, "--every", "2", "--layers", "0", "--device", "cpu"));
    assertTrue(!Files.exists(dir.resolve("out").resolve("model.safetensors")));
  }

  private static int run(String... args) {
    return run(new StringWriter(), args);
  }

  private static int run(StringWriter err, String... args) {
    return new CommandLine(new ExpandCommand()).setErr(new PrintWriter(err, true)).execute(args);
  }
}

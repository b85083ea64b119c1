package io.statex.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.cli.EvalCommand;
import io.statex.data.TokenShardWriter;
import io.statex.io.ModelConfigJson;
import io.statex.io.safetensors.SafetensorsWriter;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.statex.ModelCheckpoint;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** statex eval end to end on two tiny saved models: every output is written and reads back; bad input names itself. */
class EvalCommandTest {
  @TempDir Path dir;

  @Test
  void passkeyOnTwoModelsWritesResultsPlotsAndReport() throws Exception {
    long seed = Seeds.fresh("eval-cli");
    Path a = save("gla", ModelPresets.get("gla-tiny", 40), seed);
    Path b = save("mamba2", ModelPresets.get("mamba2-tiny", 40), seed + 1);
    Path out = dir.resolve("out");
    run("--device", "cpu", "--checkpoint", a + "," + b, "--task", "passkey", "--lengths", "40,64", "--depths", "0,0.5,1",
        "--examples", "3", "--batch", "4", "--digits", "3", "--seed", Long.toString(seed), "--out", out.toString());
    EvalResults r = ResultsJson.read(Files.readString(out.resolve("results.json")));
    assertEquals(List.of("gla", "mamba2"), r.models().stream().map(ModelResult::name).toList());
    assertEquals("3", r.settings().get("digits"));
    assertEquals("step", r.settings().get("decode"));
    for (ModelResult m : r.models()) {
      assertEquals(6, m.cells().size(), m.name());
      m.cells().forEach(c -> assertTrue(c.score() >= 0 && c.score() <= 1, c.toString()));
    }
    assertEquals(960, PlotsTest.decode(Files.readAllBytes(out.resolve("accuracy-by-length.png"))).getWidth());
    assertEquals(540, PlotsTest.decode(Files.readAllBytes(out.resolve("heatmap-2-mamba2.png"))).getHeight());
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("<caption>passkey: accuracy by context length (mean over depths)</caption>"), html);
    assertTrue(html.contains("<caption>mamba2: accuracy by needle depth and context length</caption>"), html);
  }

  @Test
  void theOtherTasksRunWithEitherDecoder() throws Exception {
    long seed = Seeds.fresh("eval-cli-tasks");
    Path m = save("gla", ModelPresets.get("gla-tiny", 40), seed);
    Path shards = Files.createDirectories(dir.resolve("shards"));
    TokenShardWriter.write(shards.resolve("a.tokens"), 2, 40, 0, new SplittableRandom(seed).ints(600, 0, 40).toArray());
    String[][] tasks = {
      {"--task", "niah", "--keys", "8", "--values", "8", "--noise", "3", "--value-tokens", "2", "--depths", "0.2,0.9"},
      {"--task", "mqar", "--keys", "16", "--values", "16", "--pairs-every", "8"},
      {"--task", "ppl", "--data", shards.toString()}};
    for (String[] task : tasks) {
      for (String decode : List.of("step", "forward")) {
        Path out = dir.resolve(task[1] + "-" + decode);
        List<String> args = new ArrayList<>(List.of("--device", "cpu", "--checkpoint", m.toString(), "--lengths", "24,48",
            "--examples", "2", "--decode", decode, "--out", out.toString()));
        args.addAll(List.of(task));
        run(args.toArray(String[]::new));
        EvalResults r = ResultsJson.read(Files.readString(out.resolve("results.json")));
        assertEquals(task[1], r.task());
        assertEquals(task[1].equals("niah") ? 4 : 2, r.models().get(0).cells().size(), task[1]);
        assertTrue(Files.size(out.resolve(r.metric().key() + "-by-length.png")) > 0);
      }
    }
  }

  @Test
  void badInputIsRefusedBeforeAnyModelRunsNamingIt() throws Exception {
    Path m = save("small", ModelPresets.get("gla-tiny", 20), 5);
    Path big = save("big", ModelPresets.get("gla-tiny", 200), 5);
    Path out = dir.resolve("never");
    // the second model cannot read the task's ids: the first must not run either
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    IllegalArgumentException e;
    try {
      System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
      e = assertThrows(IllegalArgumentException.class, () -> run("--device", "cpu", "--checkpoint", big + "," + m, "--task",
          "mqar", "--lengths", "64", "--out", out.toString()));
    } finally {
      System.setOut(stdout);
    }
    assertTrue(e.getMessage().contains("small") && e.getMessage().contains("33"), e.getMessage());
    assertEquals("", printed.toString(java.nio.charset.StandardCharsets.UTF_8), "a model ran before the check");
    e = assertThrows(IllegalArgumentException.class,
        () -> run("--checkpoint", m.toString(), "--task", "summarise", "--out", out.toString()));
    assertTrue(e.getMessage().startsWith("--task"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--checkpoint", m.toString(), "--task", "passkey",
        "--lengths", "16", "--out", out.toString()));
    assertTrue(e.getMessage().startsWith("length"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--checkpoint", m + "," + m, "--name", "one", "--task",
        "passkey", "--out", out.toString()));
    assertTrue(e.getMessage().startsWith("--name"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--checkpoint", m.toString(), "--task", "ppl", "--data",
        dir.resolve("no-shards").toString(), "--out", out.toString()));
    assertTrue(e.getMessage().startsWith("--data") && e.getMessage().contains("no-shards"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> run("--checkpoint", m.toString(), "--task", "passkey",
        "--precision", "bf16-pure", "--out", out.toString()));
    assertTrue(e.getMessage().startsWith("--precision"), e.getMessage());
    IOException io = assertThrows(IOException.class, () -> run("--checkpoint", dir.resolve("nothing").toString(), "--task",
        "passkey", "--out", out.toString()));
    assertTrue(io.getMessage().contains("nothing"), io.getMessage());
    assertTrue(!Files.exists(out), "outputs were written for a failed run");
  }

  @Test
  void aConfigClaimingAFarLargerModelThanTheFileFailsBeforeAllocating() throws Exception {
    Path m = save("liar", ModelPresets.get("gla-tiny", 20), 5);
    ModelConfig huge = ModelPresets.get("gla-1.3b", 20);
    Path file = dir.resolve("liar-big/model.safetensors");
    Files.createDirectories(file.getParent());
    try (LanguageModel tiny = LanguageModel.create(ModelPresets.get("gla-tiny", 20), new Init(DType.F32, Device.CPU, 5))) {
      SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("statex.config", ModelConfigJson.write(huge));
      tiny.namedParameters().forEach((n, p) -> w.put(n, p.value()));
      w.write(file);
    }
    IOException e = assertThrows(IOException.class, () -> ModelCheckpoint.config(file));
    assertTrue(e.getMessage().contains("the file holds"), e.getMessage());
    assertEquals(20, ModelCheckpoint.config(ModelCheckpoint.locate(m)).vocabSize());
  }

  /** Parses args as the CLI would and calls the command, letting its exceptions through. */
  private static void run(String... args) throws Exception {
    EvalCommand cmd = new EvalCommand();
    new CommandLine(cmd).parseArgs(args);
    assertEquals(0, ((Callable<?>) cmd).call());
  }

  private Path save(String name, ModelConfig cfg, long seed) throws IOException {
    Path file = dir.resolve(name).resolve("model.safetensors");
    Files.createDirectories(file.getParent());
    try (LanguageModel m = LanguageModel.create(cfg, new Init(DType.F32, Device.CPU, seed))) {
      SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt").metadata("statex.config", ModelConfigJson.write(cfg));
      m.namedParameters().forEach((n, p) -> w.put(n, p.value()));
      w.write(file);
    }
    return file.getParent();
  }
}

package io.statex.cli;

import io.statex.backend.Backends;
import io.statex.data.TokenShards;
import io.statex.eval.Cell;
import io.statex.eval.EvalResults;
import io.statex.eval.ExactMatch;
import io.statex.eval.ForwardPredictor;
import io.statex.eval.Grid;
import io.statex.eval.Metric;
import io.statex.eval.ModelResult;
import io.statex.eval.MqarEval;
import io.statex.eval.MqarTask;
import io.statex.eval.NeedleTask;
import io.statex.eval.PasskeyTask;
import io.statex.eval.PerplexityEval;
import io.statex.eval.Predictor;
import io.statex.eval.Progress;
import io.statex.eval.RecurrentPredictor;
import io.statex.eval.ResultFiles;
import io.statex.eval.Table;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.statex.ModelCheckpoint;
import io.statex.tensor.Device;
import io.statex.train.Precision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statex eval}: evaluates one or more checkpoints side by side on one task over a grid of
 * context lengths (and needle depths), then writes results.json, the plots and a self-contained
 * report.html to --out and prints the tables (results.json is also rewritten after each model, so a
 * long run that fails keeps what it measured). Decoding is step by step by default, so memory stays
 * constant in the context length; --decode forward uses whole-sequence passes (faster on short
 * contexts, memory grows with the length).
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate checkpoints side by side: passkey, needle in a haystack, MQAR or perplexity by context length.")
public final class EvalCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Option(names = "--checkpoint", required = true, split = ",", paramLabel = "DIR",
      description = "Checkpoints: a model.safetensors, a step directory, or a training checkpoint directory (its latest).")
  List<Path> checkpoints;

  @Option(names = "--name", split = ",", description = "Labels of the models, in order (default: from the paths).")
  List<String> names;

  @Option(names = "--task", required = true, description = "passkey, niah, mqar or ppl.")
  String task;

  @Option(names = "--lengths", split = ",", defaultValue = "1024,2048,4096,8192,16384,32768,65536",
      description = "Context lengths (default ${DEFAULT-VALUE}).")
  List<Integer> lengths;

  @Option(names = "--depths", split = ",", defaultValue = "0,0.25,0.5,0.75,1",
      description = "Needle depths for passkey and niah (default ${DEFAULT-VALUE}).")
  List<Double> depths;

  @Option(names = "--examples", defaultValue = "16", description = "Examples (rows for ppl) per cell (default ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--batch", defaultValue = "16", description = "Sequences run together (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the examples (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, description = "Directory for results.json, the plots and report.html.")
  Path out;

  @Option(names = "--decode", defaultValue = "step",
      description = "step (constant memory in the length) or forward (whole-sequence passes) (default ${DEFAULT-VALUE}).")
  String decode;

  @Option(names = "--precision", defaultValue = "fp32",
      description = "fp32 or bf16 activations; weights load as fp32 (bf16 checkpoints exactly) (default ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--digits", defaultValue = "5", description = "passkey: digits of the key (default ${DEFAULT-VALUE}).")
  int digits;

  @Option(names = "--key-tokens", defaultValue = "1", description = "niah: tokens of the key (default ${DEFAULT-VALUE}).")
  int keyTokens;

  @Option(names = "--value-tokens", defaultValue = "1", description = "niah: tokens of the value (default ${DEFAULT-VALUE}).")
  int valueTokens;

  @Option(names = "--keys", defaultValue = "16", description = "niah, mqar: key vocabulary (default ${DEFAULT-VALUE}, as statex train).")
  int keys;

  @Option(names = "--values", defaultValue = "16", description = "niah, mqar: value vocabulary (default ${DEFAULT-VALUE}).")
  int values;

  @Option(names = "--noise", defaultValue = "1", description = "niah, mqar: filler ids, 1 = one filler token (default ${DEFAULT-VALUE}).")
  int noise;

  @Option(names = "--pairs", defaultValue = "4", description = "mqar: key-value pairs at every length (default ${DEFAULT-VALUE}).")
  int pairs;

  @Option(names = "--pairs-every", defaultValue = "0",
      description = "mqar: one pair per this many tokens instead of a fixed count; 0 = off (default ${DEFAULT-VALUE}).")
  int pairsEvery;

  @Option(names = "--data", description = "ppl: directory of *.tokens shards.")
  Path data;

  @Override
  public Integer call() throws Exception {
    Device dev = device.select().device();
    Precision p = precision();
    if (!decode.equals("step") && !decode.equals("forward")) {
      throw new IllegalArgumentException("--decode: expected step or forward, found '" + decode + "'");
    }
    Grid grid = new Grid(lengths, task.equals("passkey") || task.equals("niah") ? depths : List.of(), examples, seed, batch);
    List<Path> files = new ArrayList<>();
    for (Path c : checkpoints) {
      files.add(ModelCheckpoint.locate(c));
    }
    List<String> labels = labels(files);
    try (TaskRun run = taskRun(grid)) {
      for (int i = 0; i < files.size(); i++) {
        checkVocabulary(run, labels.get(i), ModelCheckpoint.config(files.get(i)));
      }
      Map<String, String> settings = new LinkedHashMap<>(run.settings());
      settings.put("decode", decode);
      settings.put("precision", precision);
      settings.put("device", dev.toString());
      List<ModelResult> models = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        models.add(evaluate(run, labels.get(i), files.get(i), p, dev, grid));
        // after each model, so that a long run that fails later keeps what it measured
        ResultFiles.writeJson(out, new EvalResults(task, run.metric(), grid, settings, models));
      }
      write(new EvalResults(task, run.metric(), grid, settings, models));
      return 0;
    }
  }

  /** Scores a predictor over the grid, reporting each cell as it completes. */
  private interface Scorer {
    List<Cell> run(Predictor p, Consumer<Cell> onCell);
  }

  /** One task, ready to score any predictor over the grid; closing it releases its data. */
  private record TaskRun(Metric metric, long vocabSize, Map<String, String> settings, Scorer scorer, AutoCloseable data)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (data != null) {
        data.close();
      }
    }
  }

  /** The task's settings checked against the grid, before any model loads. */
  private TaskRun taskRun(Grid grid) throws IOException {
    switch (task) {
      case "passkey": {
        PasskeyTask t = new PasskeyTask(digits);
        ExactMatch.check(t, grid);
        return new TaskRun(Metric.ACCURACY, t.vocabSize(), Map.of("digits", Integer.toString(digits)),
            (p, on) -> ExactMatch.run(p, t, grid, on), null);
      }
      case "niah": {
        NeedleTask t = new NeedleTask(keyTokens, valueTokens, noise, keys, values);
        ExactMatch.check(t, grid);
        return new TaskRun(Metric.ACCURACY, t.vocabSize(), Map.of("key_tokens", Integer.toString(keyTokens), "value_tokens",
            Integer.toString(valueTokens), "noise", Integer.toString(noise), "keys", Integer.toString(keys), "values",
            Integer.toString(values)), (p, on) -> ExactMatch.run(p, t, grid, on), null);
      }
      case "mqar": {
        MqarTask t = new MqarTask(keys, values, noise, pairs, pairsEvery);
        MqarEval.check(t, grid);
        return new TaskRun(Metric.ACCURACY, t.vocabSize(), Map.of("keys", Integer.toString(keys), "values",
            Integer.toString(values), "noise", Integer.toString(noise), pairsEvery == 0 ? "pairs" : "pairs_every",
            Integer.toString(pairsEvery == 0 ? pairs : pairsEvery)), (p, on) -> MqarEval.run(p, t, grid, on), null);
      }
      case "ppl":
        return perplexity(grid);
      default:
        throw new IllegalArgumentException("--task: expected passkey, niah, mqar or ppl, found '" + task + "'");
    }
  }

  private TaskRun perplexity(Grid grid) throws IOException {
    if (data == null || !Files.isDirectory(data)) {
      throw new IllegalArgumentException("--data: expected a directory of *.tokens shards for --task ppl, found "
          + (data == null ? "none" : "no directory at " + data));
    }
    TokenShards tokens = TokenShards.openDirectory(data);
    try {
      PerplexityEval.check(tokens, grid);
    } catch (RuntimeException e) {
      tokens.close();
      throw e;
    }
    return new TaskRun(Metric.PERPLEXITY, tokens.vocabSize(), Map.of("data", data.toString(), "tokens",
        Long.toString(tokens.size())), (p, on) -> PerplexityEval.run(p, tokens, grid, on), tokens);
  }

  /** Loads one model, runs the task, prints each cell as it completes, and frees the model. */
  private ModelResult evaluate(TaskRun run, String label, Path file, Precision p, Device dev, Grid grid)
      throws IOException {
    long t0 = System.nanoTime();
    try (LanguageModel m = ModelCheckpoint.load(file, p.weights(), dev)) {
      System.out.printf(Locale.ROOT, "statex eval: %s (%s, %,d parameters, %,d state elements) on %s, %s, %s decoding%n",
          label, file, m.parameterCount(), m.config().stateSize(), dev, p, decode);
      int cellsPerModel = grid.lengths().size() * Math.max(1, grid.depths().size());
      CellPrinter printer = new CellPrinter(label, run.metric(), cellsPerModel);
      Compute c = new Compute(p.compute(), false);
      Predictor predictor = decode.equals("step") ? new RecurrentPredictor(m, c, printer) : new ForwardPredictor(m, c);
      List<Cell> cells = run.scorer().run(predictor, printer::cell);
      double secs = (System.nanoTime() - t0) / 1e9;
      return new ModelResult(label, file.toString(), m.parameterCount(), m.config().stateSize(), secs, cells);
    }
  }

  /**
   * fp32, or bf16 activations over fp32 weights (cast on use). Weights always load as fp32, which
   * holds a bf16 checkpoint exactly; bf16 weights are not offered, as not every decode-step op takes them.
   */
  private Precision precision() {
    Precision p = Precision.parse(precision);
    if (p == Precision.BF16_PURE) {
      throw new IllegalArgumentException("--precision: expected fp32 or bf16 (weights load as fp32, which holds a bf16"
          + " checkpoint exactly), found " + precision);
    }
    return p;
  }

  /** Every model must read every id the task uses: checked for all models before the first one runs. */
  private void checkVocabulary(TaskRun run, String label, io.statex.nn.ModelConfig cfg) {
    if (cfg.vocabSize() < run.vocabSize()) {
      throw new IllegalArgumentException(label + ": --task " + task + " uses " + run.vocabSize()
          + " token ids, the model's vocabulary has " + cfg.vocabSize());
    }
  }

  /** A line per finished cell on stdout; on a terminal, a live count of the tokens stepped on stderr. */
  private static final class CellPrinter implements Progress {
    private final String label;
    private final Metric metric;
    private final int total;
    private final boolean live = System.console() != null;
    private int done;
    private int drawn;
    private long lastDraw;

    CellPrinter(String label, Metric metric, int total) {
      this.label = label;
      this.metric = metric;
      this.total = total;
    }

    void cell(Cell c) {
      done++;
      if (drawn > 0) {
        System.err.print("\r" + " ".repeat(drawn) + "\r"); // clear the live line before the cell's own
        System.err.flush();
        drawn = 0;
      }
      String depth = c.hasDepth() ? String.format(Locale.ROOT, " depth %.2f", c.depth()) : "";
      System.out.printf(Locale.ROOT, "  [%d/%d] %s length %d%s: %s %.3f over %d (%.1f s)%n", done, total, label, c.length(),
          depth, metric.key(), c.score(), c.scored(), c.seconds());
    }

    @Override
    public void update(long stepped, long of) {
      long now = System.nanoTime();
      if (live && (now - lastDraw > 500_000_000L || stepped == of)) {
        lastDraw = now;
        String line = String.format(Locale.ROOT, "  [%d/%d] %s: %,d of %,d tokens", done + 1, total, label, stepped, of);
        System.err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        System.err.flush();
        drawn = line.length();
      }
    }
  }

  /** Writes results.json, the plots and report.html, then prints the tables. */
  private void write(EvalResults r) throws IOException {
    boolean plots = ResultFiles.write(out, r);
    System.out.println();
    System.out.print(Table.byLength(r).toText());
    for (ModelResult m : r.hasDepths() ? r.models() : List.<ModelResult>of()) {
      System.out.println();
      System.out.print(Table.depthByLength(r, m).toText());
    }
    System.out.println(plots ? "\nwrote " + out.resolve("results.json") + ", the plots and " + out.resolve("report.html")
        : "\nwrote " + out.resolve("results.json") + " (no plots: this runtime has no java.desktop)");
  }

  /** --name when given, else each path's last meaningful part; repeats get #2, #3. */
  private List<String> labels(List<Path> files) {
    if (names != null && !names.isEmpty()) {
      if (names.size() != files.size()) {
        throw new IllegalArgumentException("--name: expected one label per checkpoint (" + files.size() + "), found "
            + names.size());
      }
      return names;
    }
    List<String> out = new ArrayList<>();
    for (Path f : files) {
      String name = label(f.toAbsolutePath());
      String unique = name;
      for (int k = 2; out.contains(unique); k++) {
        unique = name + "#" + k;
      }
      out.add(unique);
    }
    return out;
  }

  /** The step directory with its run (run/step-00000300), the directory of a model.safetensors, or the file's stem. */
  private static String label(Path file) {
    String stem = file.getFileName().toString().replaceAll("\\.safetensors$", "");
    Path dir = file.getParent();
    if (!stem.equals("model") || dir == null || dir.getFileName() == null) {
      return stem;
    }
    String name = dir.getFileName().toString();
    Path run = dir.getParent();
    return name.matches("step-\\d{8}") && run != null && run.getFileName() != null ? run.getFileName() + "/" + name : name;
  }
}

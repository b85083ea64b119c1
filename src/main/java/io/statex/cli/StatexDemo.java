package io.statex.cli;

import io.statex.data.Mqar;
import io.statex.data.MqarConfig;
import io.statex.eval.Cell;
import io.statex.eval.EvalResults;
import io.statex.eval.Grid;
import io.statex.eval.Metric;
import io.statex.eval.ModelResult;
import io.statex.eval.Recall;
import io.statex.nn.Compute;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.nn.Parameter;
import io.statex.statex.ExpandReport;
import io.statex.statex.ExpandSpec;
import io.statex.statex.InitPolicy;
import io.statex.statex.LayerSelection;
import io.statex.statex.StateX;
import io.statex.tensor.Device;
import io.statex.train.Precision;
import io.statex.train.Schedule;
import io.statex.train.TrainConfig;
import io.statex.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The StateX demonstration on a toy where state capacity limits recall: multi-query associative
 * recall in which the number of key-value pairs grows with the context (one pair per
 * {@link Setting#tokensPerPair} tokens), so a longer context asks the recurrent state to hold more.
 * For each family (tiny GLA, tiny Mamba2): pretrain at a short context; then two branches with the
 * same token budget at a longer context: LPT (continue the model as it is) and StateX (expand the
 * selected layers' state, reinitialise those mixers, continue); then recall accuracy across context
 * lengths for the base model and both branches. It reports what it measured, whichever branch wins.
 */
final class StatexDemo {

  /** The toy's settings (documented in the README). */
  record Setting(int keys, int values, int tokensPerPair, int shortLength, int longLength, int pretrainSteps,
      int continueSteps, int batchTokens, int[] evalLengths, int evalBatches, LayerSelection selection) {

    /** The GPU-host size: longer training, contexts up to 1024 tokens (minutes on one GPU). */
    static Setting large() {
      return new Setting(128, 16, 8, 64, 256, 3000, 1500, 4096, new int[] {32, 64, 128, 256, 512, 1024}, 8,
          new LayerSelection.Every(2, false));
    }

    /** A few steps of everything, for the test suite. */
    static Setting smoke() {
      return new Setting(16, 8, 8, 32, 64, 4, 3, 256, new int[] {32, 64}, 1, new LayerSelection.Every(2, false));
    }

    static Setting named(String size) {
      switch (size) {
        case "standard":
          return standard();
        case "large":
          return large();
        default:
          throw new IllegalArgumentException("--size: expected standard or large, got '" + size + "'");
      }
    }

    static Setting standard() {
      return new Setting(32, 16, 8, 32, 64, 300, 120, 1024, new int[] {32, 64, 128, 256}, 4,
          new LayerSelection.Every(2, false));
    }

    MqarConfig task(int length) {
      int pairs = Math.max(1, length / tokensPerPair);
      return new MqarConfig(keys, values, pairs, pairs, length, 1);
    }

    int vocab() {
      return task(shortLength).vocabSize();
    }
  }

  /** One model's recall accuracy by evaluation length, its state size, and the seconds its training took. */
  record Row(String family, String branch, long stateSize, long parameters, double[] accuracy, long[] scored,
      double seconds) {}

  private final Setting s;
  private final Device device;
  private final PrintStream out;
  private final long seed;

  StatexDemo(Setting s, Device device, PrintStream out, long seed) {
    this.s = s;
    this.device = device;
    this.out = out;
    this.seed = seed;
  }

  /** One family's model and the rate and batch scale that learned the toy fastest with it. */
  record Family(String name, ModelConfig config, double lr, int batchScale) {}

  List<Row> run() throws IOException {
    List<Row> rows = new ArrayList<>();
    rows.addAll(family(gla()));
    rows.addAll(family(mamba2()));
    return rows;
  }

  Family gla() {
    return new Family("GLA", ModelPresets.get("gla-tiny", s.vocab()), 5e-3, 2);
  }

  Family mamba2() {
    return new Family("Mamba2", ModelPresets.get("mamba2-tiny", s.vocab()), 3e-2, 1);
  }

  private List<Row> family(Family f) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (LanguageModel base = pretrain(f, rows)) {
      try (LanguageModel lpt = copy(base, new Init(Precision.FP32.weights(), device, seed))) {
        out.printf(Locale.ROOT, "== %s LPT: continue at %d tokens (%d pairs), %d steps%n", f.name(), s.longLength(),
            s.task(s.longLength()).pairs(), s.continueSteps());
        long t1 = System.nanoTime();
        train(lpt, s.longLength(), s.continueSteps(), f.lr() / 2, f.batchScale(), seed + 1);
        rows.add(evaluate(f.name(), "LPT", lpt, t1));
      }
      ExpandSpec spec = ExpandSpec.defaults(s.selection()).withPolicy(InitPolicy.REINIT);
      rows.add(stateX(f, "StateX", base, spec, m -> {}));
    }
    return rows;
  }

  /** The family's model pretrained at the short context; its recall is added to rows as "base". */
  LanguageModel pretrain(Family f, List<Row> rows) throws IOException {
    LanguageModel base = LanguageModel.create(f.config(), new Init(Precision.FP32.weights(), device, seed));
    try {
      out.printf(Locale.ROOT, "%n== %s: pretrain at %d tokens (%d pairs), %d steps%n", f.name(), s.shortLength(),
          s.task(s.shortLength()).pairs(), s.pretrainSteps());
      long t = System.nanoTime();
      train(base, s.shortLength(), s.pretrainSteps(), f.lr(), f.batchScale(), seed);
      rows.add(evaluate(f.name(), "base", base, t));
      return base;
    } catch (IOException | RuntimeException e) {
      base.close();  // the caller only owns it once it is returned
      throw e;
    }
  }

  /**
   * The StateX branch: base expanded by spec, continued exactly as the LPT branch, evaluated; inspect
   * sees the model right after the expansion and again after the continuation.
   */
  Row stateX(Family f, String branch, LanguageModel base, ExpandSpec spec, Consumer<LanguageModel> inspect)
      throws IOException {
    ExpandReport report = StateX.report(base.config(), spec);
    try (LanguageModel sx = StateX.expand(base, spec, new Init(Precision.FP32.weights(), device, seed + 2))) {
      out.printf(Locale.ROOT, "== %s %s: %s; state %,d -> %,d per sequence; continue at %d tokens, %d steps%n",
          f.name(), branch, spec.describe(), report.stateBefore(), report.stateAfter(), s.longLength(),
          s.continueSteps());
      inspect.accept(sx);
      long t2 = System.nanoTime();
      train(sx, s.longLength(), s.continueSteps(), f.lr() / 2, f.batchScale(), seed + 1);
      Row r = evaluate(f.name(), branch, sx, t2);
      inspect.accept(sx);
      return r;
    }
  }

  private void train(LanguageModel m, int length, int steps, double lr, int batchScale, long dataSeed)
      throws IOException {
    int batch = Math.max(1, batchScale * s.batchTokens() / length);
    TrainConfig tc = new TrainConfig(steps, 1, new Schedule(lr, 0, Math.max(1, steps / 10), steps), 0.1, 0.9, 0.95, 1.0,
        Precision.FP32, false, null, 1, 1, null, 10, true);
    try (Trainer t = new Trainer(m, new Mqar(s.task(length), dataSeed, batch), tc, out)) {
      t.run(Long.MAX_VALUE);
    }
  }

  Row evaluate(String family, String branch, LanguageModel m, long trainStart) {
    double seconds = (System.nanoTime() - trainStart) / 1e9;
    double[] acc = new double[s.evalLengths().length];
    long[] scored = new long[acc.length];
    for (int i = 0; i < acc.length; i++) {
      int length = s.evalLengths()[i];
      int batch = Math.max(1, 2 * s.batchTokens() / length);
      acc[i] = Recall.accuracy(m, new Mqar(s.task(length), seed + 7_000_003L, batch), 0, s.evalBatches(), Compute.f32());
      scored[i] = (long) s.evalBatches() * batch * s.task(length).queries();
    }
    Row r = new Row(family, branch, m.config().stateSize(), m.parameterCount(), acc, scored, seconds);
    out.println("   recall " + String.join("  ", accuracies(r)));
    return r;
  }

  private List<String> accuracies(Row r) {
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < r.accuracy().length; i++) {
      cells.add(String.format(Locale.ROOT, "%d:%5.1f%%", s.evalLengths()[i], 100 * r.accuracy()[i]));
    }
    return cells;
  }

  /** The results as a table. */
  String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-7s %-7s %10s", "family", "model", "state"));
    for (int len : s.evalLengths()) {
      sb.append(String.format(Locale.ROOT, " %8s", len + " tok"));
    }
    sb.append('\n');
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "%-7s %-7s %,10d", r.family(), r.branch(), r.stateSize()));
      for (double a : r.accuracy()) {
        sb.append(String.format(Locale.ROOT, " %7.1f%%", 100 * a));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static LanguageModel copy(LanguageModel src, Init init) {
    LanguageModel dst = LanguageModel.empty(src.config(), init);
    Map<String, Parameter> from = src.namedParameters();
    dst.namedParameters().forEach((n, p) -> p.value().copyFrom(from.get(n).value()));
    return dst;
  }

  /**
   * The results in the evaluation module's form (task "mqar", one model per family and branch), so
   * that results.json, the accuracy-by-length plot and report.html are written as statex eval
   * writes them.
   */
  EvalResults results(List<Row> rows) {
    List<Integer> lengths = new ArrayList<>();
    for (int len : s.evalLengths()) {
      lengths.add(len);
    }
    List<ModelResult> models = new ArrayList<>();
    for (Row r : rows) {
      List<Cell> cells = new ArrayList<>();
      for (int i = 0; i < r.accuracy().length; i++) {
        cells.add(new Cell(s.evalLengths()[i], Double.NaN, (int) r.scored()[i], r.scored()[i],
            r.accuracy()[i], 0));
      }
      models.add(new ModelResult(r.family() + " " + r.branch(), "(in memory)", r.parameters(),
          r.stateSize(), r.seconds(), cells));
    }
    Map<String, String> settings = new LinkedHashMap<>();
    describe().forEach((k, v) -> settings.put(k, String.valueOf(v)));
    settings.put("device", device.toString());
    Grid grid = new Grid(lengths, List.of(), s.evalBatches(), seed + 7_000_003L,
        2 * s.batchTokens());
    return new EvalResults("mqar", Metric.ACCURACY, grid, settings, models);
  }

  /** The settings as a map, for the report. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("keys", s.keys());
    m.put("values", s.values());
    m.put("tokens_per_pair", s.tokensPerPair());
    m.put("short_length", s.shortLength());
    m.put("long_length", s.longLength());
    m.put("pretrain_steps", s.pretrainSteps());
    m.put("continue_steps", s.continueSteps());
    m.put("batch_tokens", s.batchTokens());
    m.put("selection", s.selection().describe());
    return m;
  }
}

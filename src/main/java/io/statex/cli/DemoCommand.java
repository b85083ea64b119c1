package io.statex.cli;

import io.statex.backend.Backends;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statex demo}: the main job on the embedded default, with no downloads. After the
 * environment report it runs {@link StatexDemo}: tiny GLA and Mamba2 models pretrained on
 * associative recall at a short context, then long-context post-training with and without the StateX
 * expansion, and recall accuracy across context lengths, printed as a table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "StateX on toy associative recall: pretrain, then LPT vs StateX, recall by context length.")
public final class DemoCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Option(names = "--out", defaultValue = "statex-demo", description = "Directory for the results (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--size", defaultValue = "standard", description = "standard (minutes on 2 CPU cores) or large (for a"
      + " GPU: 10x the training, contexts to 1024 tokens).")
  String size;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of models and data (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (InfoCommand.report(System.out, device) == null) {
      return 2;
    }
    Backends.Selection s = device.select();
    long t0 = System.nanoTime();
    StatexDemo demo = new StatexDemo(StatexDemo.Setting.named(size), s.device(), System.out, seed);
    List<StatexDemo.Row> rows = demo.run();
    System.out.printf(Locale.ROOT, "%nRecall accuracy (exact match at every query) by context length, on %s, %.0f s:%n",
        s.device(), (System.nanoTime() - t0) / 1e9);
    System.out.print(demo.table(rows));
    write(demo.results(rows));
    return 0;
  }

  // results.json, the accuracy-by-length plot and report.html, as statex eval writes them.
  private void write(io.statex.eval.EvalResults r) throws java.io.IOException {
    java.nio.file.Files.createDirectories(out);
    java.nio.file.Files.writeString(out.resolve("results.json"), io.statex.eval.ResultsJson.write(r));
    try {
      byte[] png = io.statex.eval.Plots.byLength(r, io.statex.eval.Plots.WIDTH, io.statex.eval.Plots.HEIGHT);
      java.nio.file.Files.write(out.resolve("recall_by_length.png"), png);
      java.nio.file.Files.writeString(out.resolve("report.html"), io.statex.eval.HtmlReport.render(r, png, List.of()));
      System.out.println("wrote " + out.resolve("results.json") + ", recall_by_length.png and report.html");
    } catch (LinkageError e) {
      System.out.println("wrote " + out.resolve("results.json") + " (this runtime has no java.desktop to draw plots: "
          + e + ")");
    }
  }
}

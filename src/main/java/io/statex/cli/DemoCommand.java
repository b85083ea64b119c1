package io.statex.cli;

import io.statex.backend.Backends;
import io.statex.eval.EvalResults;
import io.statex.eval.ResultFiles;
import java.io.IOException;
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

  private void write(EvalResults r) throws IOException {
    boolean plots = ResultFiles.write(out, r);
    System.out.println("wrote " + out.resolve("results.json")
        + (plots ? ", " + r.metric().key() + "-by-length.png and report.html" : " (no plots: this runtime has no java.desktop)"));
  }
}

package io.statex.cli;

import io.statex.data.Mqar;
import io.statex.data.TokenBatch;
import io.statex.nn.LanguageModel;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import io.statex.nn.Parameter;
import io.statex.statex.ExpandSpec;
import io.statex.statex.InitPolicy;
import io.statex.tensor.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Mamba2 StateX branch of the standard demo under variants of the expansion of layer 0, to tell
 * apart what makes it collapse to chance (docs/RESULTS.md). The base model and the continuation are
 * the demo's, bit for bit; only the expansion differs (a spec, and for two variants one tensor of
 * layer 0 copied back from the base model by hand). After the recall of each model, right
 * after the expansion and after the continuation, it prints layer 0's per-head dt_bias, A, mean dt and
 * mean per-token decay exp(dt A) over held-out tokens at the continuation length. About 25 minutes on
 * two busy cores:
 *
 * <pre>
 *   java -cp target/statex.jar:target/statex-tests.jar io.statex.cli.Mamba2StatexVariants
 * </pre>
 */
final class Mamba2StatexVariants {
  private static final String LAYER0 = "backbone.layers.0.mixer.";

  /** An expansion spec, then these layer-0 mixer tensors copied back from the base model. */
  private record Variant(String name, ExpandSpec spec, List<String> keep) {
    Variant(String name, ExpandSpec spec, String... keep) {
      this(name, spec, List.of(keep));
    }
  }

  private Mamba2StatexVariants() {}

  public static void main(String[] args) throws Exception {
    StatexDemo.Setting s = StatexDemo.Setting.standard();
    StatexDemo demo = new StatexDemo(s, Device.CPU, System.out, 1);
    StatexDemo.Family f = demo.mamba2();
    ExpandSpec recipe = ExpandSpec.defaults(s.selection());
    List<Variant> variants = List.of(
        new Variant("reinit (the recipe)", recipe),
        new Variant("reinit --no-reset", recipe.withReset(false)),
        new Variant("reinit, dt_bias kept", recipe, "dt_bias"),
        new Variant("reinit, A_log kept", recipe, "A_log"),
        new Variant("inherit-zero", recipe.withPolicy(InitPolicy.INHERIT_ZERO)),
        new Variant("inherit-zero --no-reset", recipe.withPolicy(InitPolicy.INHERIT_ZERO).withReset(false)),
        new Variant("reinit x1", new ExpandSpec(s.selection(), 1, 1, InitPolicy.REINIT)),
        new Variant("reinit x1 --no-reset", new ExpandSpec(s.selection(), 1, 1, InitPolicy.REINIT, false)),
        new Variant("inherit x1 (the resets alone)", new ExpandSpec(s.selection(), 1, 1, InitPolicy.INHERIT)));
    List<StatexDemo.Row> rows = new ArrayList<>();
    try (LanguageModel base = demo.pretrain(f, rows)) {
      printDecay(base, s);
      for (Variant v : variants) {
        boolean[] expanded = {true};
        rows.add(demo.stateX(f, v.name(), base, v.spec(), m -> {
          if (expanded[0]) {
            v.keep().forEach(n -> m.namedParameters().get(LAYER0 + n).value()
                .copyFrom(base.namedParameters().get(LAYER0 + n).value()));
            expanded[0] = false;
          }
          demo.evaluate(f.name(), "(now)", m, System.nanoTime());
          printDecay(m, s);
        }));
      }
    }
    System.out.println();
    for (StatexDemo.Row r : rows) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-32s", r.branch()));
      for (double a : r.accuracy()) {
        line.append(String.format(Locale.ROOT, " %6.1f%%", 100 * a));
      }
      System.out.println(line);
    }
  }

  /**
   * Layer 0, per head: dt_bias, A = -exp(A_log), and over the held-out tokens of one batch at the
   * continuation length the mean dt = softplus(dt_raw + dt_bias) and the mean decay exp(dt A).
   * Layer 0's input is the RMS-normalised embedding, so dt_raw comes straight from in_proj's dt rows.
   */
  private static void printDecay(LanguageModel m, StatexDemo.Setting s) {
    ModelConfig cfg = m.config();
    Mamba2LayerConfig layer = (Mamba2LayerConfig) cfg.layers().get(0);
    Map<String, Parameter> p = m.namedParameters();
    float[] emb = values(p, "backbone.embedding.weight"), norm = values(p, "backbone.layers.0.norm.weight");
    float[] inProj = values(p, LAYER0 + "in_proj.weight");
    float[] bias = values(p, LAYER0 + "dt_bias"), aLog = values(p, LAYER0 + "A_log");
    int d = (int) cfg.hidden(), h = (int) layer.heads(), firstDtRow = (int) (layer.inProjWidth() - h);
    TokenBatch batch = new Mqar(s.task(s.longLength()), 99, 4).batch(0);
    double[] dt = new double[h], decay = new double[h];
    for (int id : batch.inputs()) {
      double ss = 0;
      for (int k = 0; k < d; k++) {
        ss += (double) emb[id * d + k] * emb[id * d + k];
      }
      double r = 1 / Math.sqrt(ss / d + cfg.normEps());
      for (int j = 0; j < h; j++) {
        double raw = bias[j];
        for (int k = 0; k < d; k++) {
          raw += inProj[(firstDtRow + j) * d + k] * emb[id * d + k] * r * norm[k];
        }
        double step = raw > 20 ? raw : Math.log1p(Math.exp(raw));
        dt[j] += step / batch.inputs().length;
        decay[j] += Math.exp(-step * Math.exp(aLog[j])) / batch.inputs().length;
      }
    }
    StringBuilder line = new StringBuilder("   layer 0 head: dt_bias A mean-dt mean-decay |");
    for (int j = 0; j < h; j++) {
      line.append(String.format(Locale.ROOT, " %.2f %.2f %.3f %.3f |", bias[j], -Math.exp(aLog[j]), dt[j], decay[j]));
    }
    System.out.println(line);
  }

  private static float[] values(Map<String, Parameter> p, String name) {
    return p.get(name).value().toFloatArray();
  }
}

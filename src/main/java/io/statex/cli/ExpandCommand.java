package io.statex.cli;

import io.statex.backend.Backends;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.statex.ExpandReport;
import io.statex.statex.ExpandSpec;
import io.statex.statex.InitPolicy;
import io.statex.statex.LayerSelection;
import io.statex.statex.ModelCheckpoint;
import io.statex.statex.StateX;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statex expand}: loads a model checkpoint, applies the StateX transform to the selected
 * layers (GLA: merge heads; Mamba2: multiply d_state), writes the expanded model with its per-layer
 * config into a directory, and prints the state sizes before and after.
 */
@Command(name = "expand", mixinStandardHelpOptions = true,
    description = "Expand the recurrent state of selected layers of a GLA or Mamba2 checkpoint (StateX).")
public final class ExpandCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Option(names = "--from", required = true, paramLabel = "CKPT",
      description = "model.safetensors with statex.config metadata, or a directory holding one (a training checkpoint's step-N/).")
  Path from;

  @Option(names = "--to", required = true, paramLabel = "DIR", description = "Directory for the expanded model.safetensors.")
  Path to;

  @ArgGroup(exclusive = true)
  Selection selection = new Selection();

  @Option(names = "--require-divides", description = "With --every: fail unless N divides the layer count.")
  boolean requireDivides;

  @Option(names = "--merge-into", defaultValue = "" + ExpandSpec.DEFAULT_MERGE_INTO, paramLabel = "H",
      description = "GLA: heads each selected layer merges into (default ${DEFAULT-VALUE}).")
  int mergeInto;

  @Option(names = "--state-factor", defaultValue = "" + ExpandSpec.DEFAULT_STATE_FACTOR, paramLabel = "F",
      description = "Mamba2: factor on d_state in each selected layer (default ${DEFAULT-VALUE}).")
  int stateFactor;

  @Option(names = "--init", defaultValue = "reinit", paramLabel = "POLICY",
      description = "reinit (the paper's default), inherit (parameter inheritance), inherit-zero (Mamba2: B and C padded with zeros); default ${DEFAULT-VALUE}.")
  String init;

  @Option(names = "--no-reset", description = "Mamba2: keep each selected layer's dt_bias, A_log and gated-norm weight"
      + " from the source instead of the reference's reset (dt_bias 1, A_log ln(1..H), norm 1).")
  boolean noReset;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the fresh parameters (default ${DEFAULT-VALUE}).")
  long seed;

  /** --every N or --layers LIST. */
  static final class Selection {
    @Option(names = "--every", paramLabel = "N",
        description = "Expand layers 0, N, 2N, ... (default: the released scripts' 6 for GLA, 1 for Mamba2).")
    Integer every;

    @Option(names = "--layers", split = ",", paramLabel = "I", description = "Expand exactly these layers (0-based).")
    List<Integer> layers;

    LayerSelection resolve(ModelConfig.Family family, boolean requireDivides) {
      if (layers != null) {
        if (requireDivides) {
          throw new IllegalArgumentException("--require-divides applies to --every, not to --layers");
        }
        return new LayerSelection.Explicit(layers);
      }
      return every == null ? LayerSelection.referenceDefault(family, requireDivides)
          : new LayerSelection.Every(every, requireDivides);
    }
  }

  @Override
  public Integer call() throws Exception {
    Backends.Selection s = device.select();
    InitPolicy policy = InitPolicy.parse(init);
    try (LanguageModel source = ModelCheckpoint.load(from, s.device())) {
      ModelConfig cfg = source.config();
      ExpandSpec spec = new ExpandSpec(selection.resolve(cfg.family(), requireDivides), mergeInto, stateFactor, policy,
          !noReset);
      ExpandReport report = StateX.report(cfg, spec);
      System.out.printf(Locale.ROOT, "statex expand: %s (%s, %d layers, %s) on %s; %s --seed %d%n",
          ModelCheckpoint.locate(from), cfg.family().name().toLowerCase(Locale.ROOT), cfg.layers().size(),
          source.parameterDType(), s.device(), spec.describe(), seed);
      try (LanguageModel out = StateX.expand(source, spec, new Init(source.parameterDType(), s.device(), seed))) {
        Path file = ModelCheckpoint.save(to, out, Map.of("statex.expand", spec.describe() + " --seed " + seed));
        System.out.print(report.table());
        System.out.println("wrote " + file);
      }
    }
    return 0;
  }
}

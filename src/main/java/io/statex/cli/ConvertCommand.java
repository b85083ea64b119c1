package io.statex.cli;

import io.statex.io.hf.HfCheckpoint;
import io.statex.io.hf.HfConfig;
import io.statex.io.hf.Layout;
import io.statex.nn.LanguageModel;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code statex convert}: reads a checkpoint in any layout (or a training checkpoint) and writes it
 * in the Hugging Face layout asked for, on the CPU, keeping the stored precision unless told.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = "Convert a checkpoint to a Hugging Face layout: gla, mamba2-original or mamba2-hf.")
public final class ConvertCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, description = "Source checkpoint directory (any layout, or a training checkpoint).")
  Path from;

  @Option(names = "--to", required = true, description = "Output directory (created; files of an earlier save replaced).")
  Path to;

  @Option(names = "--layout", required = true, description = "gla, mamba2-original or mamba2-hf.")
  String layout;

  @Option(names = "--dtype", description = "f32 or bf16; default: as stored (bf16 when the source's embedding is bf16).")
  String dtype;

  @Option(names = "--max-shard-bytes", defaultValue = "5000000000",
      description = "Tensor bytes per shard before splitting (default ${DEFAULT-VALUE}).")
  long maxShardBytes;

  @Override
  public Integer call() throws Exception {
    Layout target = Layout.parse(layout);
    if (Files.exists(to) && Files.isSameFile(from, to)) {
      throw new IllegalArgumentException("--to: " + to + " is the source directory; write the conversion elsewhere");
    }
    try (HfCheckpoint src = HfCheckpoint.open(from)) {
      HfConfig cfg = src.config().withLayout(target);
      DType d = dtype == null ? src.storedDType() : WeightDType.parse("--dtype", dtype);
      long t0 = System.nanoTime();
      try (LanguageModel m = src.load(Device.CPU, d)) {
        HfCheckpoint.save(m, cfg, to, maxShardBytes);
        System.out.printf(Locale.ROOT, "statex convert: %s (%s) -> %s (%s, %s, %,d parameters) in %.1f s%n", from,
            src.config().layout(), to, target, d, m.parameterCount(), (System.nanoTime() - t0) / 1e9);
      }
    }
    return 0;
  }
}

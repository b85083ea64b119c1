package io.statex.cli;

import io.statex.backend.Backends;
import io.statex.io.hf.HfCheckpoint;
import io.statex.io.tokenizer.Tokenizer;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.tensor.DType;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code statex generate}: continues a prompt with a checkpoint (any layout {@link HfCheckpoint}
 * reads) and a {@code tokenizer.json}, greedily or by sampling, through the recurrent step, so memory
 * stays constant in the output length. The text streams to stdout as it is generated; a summary line
 * goes to stderr.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Continue a prompt with a GLA or Mamba2 checkpoint (greedy, or sampled with --temperature).")
public final class GenerateCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Option(names = "--checkpoint", required = true, description = "Checkpoint directory (config.json + safetensors, or a training checkpoint).")
  Path checkpoint;

  @Option(names = "--tokenizer", required = true, description = "The model's tokenizer.json.")
  Path tokenizer;

  @Option(names = "--prompt", required = true, description = "The text to continue.")
  String prompt;

  @Option(names = "--max-new", defaultValue = "64", description = "Most new tokens (default ${DEFAULT-VALUE}); stops early at EOS.")
  int maxNew;

  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy (default); else sample from softmax(logits / T).")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "Sample among the k most likely tokens only (0 = all, the default).")
  int topK;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the sampler (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dtype", defaultValue = "f32", description = "Weights and compute: f32 (default) or bf16.")
  String dtype;

  @Override
  public Integer call() throws Exception {
    Generation.Sampling sampling = new Generation.Sampling(temperature, topK, seed);
    DType d = WeightDType.parse("--dtype", dtype);
    Backends.Selection s = device.select();
    Tokenizer tok = Tokenizer.fromJson(tokenizer);
    int[] ids = tok.encode(prompt, true);
    int stop = tok.eosId().orElse(-1);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (LanguageModel m = HfCheckpoint.load(checkpoint, s.device(), d)) {
      if (tok.vocabSize() > m.config().vocabSize()) {
        throw new IllegalArgumentException("--tokenizer: " + tokenizer + " has " + tok.vocabSize()
            + " ids, more than the model's vocabulary of " + m.config().vocabSize());
      }
      TextStream text = new TextStream(tok, ids, out);
      long t0 = System.nanoTime();
      int[] made = Generation.run(m, ids, maxNew, stop, sampling, new Compute(d, false), text::add);
      double secs = (System.nanoTime() - t0) / 1e9;
      text.finish();
      out.println();
      System.err.printf(Locale.ROOT, "statex generate: %d prompt + %d new tokens in %.2f s (%.1f tokens/s) on %s, %s%s%n",
          ids.length, made.length, secs, (ids.length + made.length) / secs, s.device(),
          sampling.temperature() == 0 ? "greedy" : "sampled", made.length > 0 && made[made.length - 1] == stop ? ", stopped at EOS" : "");
    }
    return 0;
  }

  /**
   * Prints the decoded text as it grows: the prompt and new tokens are decoded together (a decoder
   * may treat the first token differently, and a character may span tokens), and only what was not
   * shown yet is printed, holding back an incomplete character.
   */
  static final class TextStream {
    private final Tokenizer tok;
    private final PrintStream out;
    private int[] ids;
    private String shown = "";

    TextStream(Tokenizer tok, int[] prompt, PrintStream out) {
      this.tok = tok;
      this.out = out;
      this.ids = prompt.clone();
      show();
    }

    void add(int id) {
      ids = Arrays.copyOf(ids, ids.length + 1);
      ids[ids.length - 1] = id;
      show();
    }

    /** Prints what is left, an incomplete last character included. */
    void finish() {
      show(false);
    }

    private void show() {
      show(true);
    }

    private void show(boolean holdIncomplete) {
      String text = tok.decode(ids, true);
      boolean incomplete = holdIncomplete && text.endsWith("\ufffd"); // maybe a UTF-8 sequence still to come
      int keep = incomplete ? text.length() - 1 : text.length();
      if (keep > shown.length() && text.startsWith(shown)) {
        out.print(text.substring(shown.length(), keep));
        shown = text.substring(0, keep);
      }
    }
  }
}

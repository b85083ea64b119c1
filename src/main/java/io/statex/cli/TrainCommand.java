package io.statex.cli;

import io.statex.backend.Backends;
import io.statex.data.BatchSource;
import io.statex.data.Mqar;
import io.statex.data.MqarConfig;
import io.statex.data.PackedSequences;
import io.statex.data.PackingConfig;
import io.statex.data.TokenShards;
import io.statex.eval.Recall;
import io.statex.io.hf.HfCheckpoint;
import io.statex.nn.Compute;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.ModelConfig;
import io.statex.nn.ModelPresets;
import io.statex.train.Precision;
import io.statex.train.Schedule;
import io.statex.train.TrainConfig;
import io.statex.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code statex train}: trains a model from a preset on a synthetic recall task (multi-query
 * associative recall by default) on the default device, then reports its recall accuracy on held-out
 * examples. Checkpoints (--checkpoint-dir) are written atomically; --resume continues from the newest.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a GLA or Mamba2 model; defaults: a tiny GLA on multi-query associative recall.")
public final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DeviceOption device;

  @Option(names = "--model", description = "Preset: ${COMPLETION-CANDIDATES}; default gla-tiny.",
      completionCandidates = Presets.class, defaultValue = "gla-tiny")
  String model;

  @Option(names = "--init-from", description = "Start from a checkpoint's weights (Hugging Face layout or training checkpoint) instead of --model.")
  Path initFrom;

  @Option(names = "--steps", defaultValue = "400", description = "Optimizer updates (default ${DEFAULT-VALUE}).")
  long steps;

  @Option(names = "--batch", defaultValue = "64", description = "Sequences per micro-batch (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per update (default ${DEFAULT-VALUE}).")
  int gradAccum;

  @Option(names = "--seq-len", defaultValue = "32", description = "Tokens per sequence (default ${DEFAULT-VALUE}).")
  int seqLen;

  @Option(names = "--lr", defaultValue = "5e-3", description = "Peak learning rate (default ${DEFAULT-VALUE}).")
  double lr;

  @Option(names = "--min-lr", defaultValue = "0", description = "Final learning rate of the cosine (default ${DEFAULT-VALUE}).")
  double minLr;

  @Option(names = "--warmup", defaultValue = "30", description = "Warmup steps (default ${DEFAULT-VALUE}).")
  long warmup;

  @Option(names = "--weight-decay", defaultValue = "0.1", description = "AdamW decay on 2+-dim tensors (default ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--clip", defaultValue = "1.0", description = "Global gradient-norm clip, 0 = off (default ${DEFAULT-VALUE}).")
  double clip;

  @Option(names = "--precision", defaultValue = "fp32", description = "fp32, bf16 (mixed) or bf16-pure (default ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--activation-checkpointing", description = "Recompute each block's activations in backward.")
  boolean checkpointActivations;

  @Option(names = "--checkpoint-dir", description = "Directory for checkpoints (none by default).")
  Path checkpointDir;

  @Option(names = "--checkpoint-every", defaultValue = "100", description = "Steps between checkpoints (default ${DEFAULT-VALUE}).")
  long checkpointEvery;

  @Option(names = "--resume", description = "Continue from the newest checkpoint in --checkpoint-dir.")
  boolean resume;

  @Option(names = "--metrics", description = "JSONL file for per-step metrics.")
  Path metrics;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the initialisation and the data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--mqar-pairs", defaultValue = "4", description = "MQAR key-value pairs per sequence (default ${DEFAULT-VALUE}).")
  int pairs;

  @Option(names = "--mqar-vocab", defaultValue = "16", description = "MQAR keys and values, each (default ${DEFAULT-VALUE}).")
  int mqarVocab;

  @Option(names = "--data", defaultValue = "mqar", description = "mqar (synthetic recall, the default) or a directory of"
      + " token shards (statex tokenize), packed into rows of --seq-len tokens with EOS between documents.")
  String data;

  @Option(names = "--recipe", description = "statex: the StateX post-training recipe (AdamW 0.9/0.95, weight decay 0.1,"
      + " peak LR 3e-4 after 1000 warmup steps, cosine to 0, clip 1.0, bf16-pure, activation checkpointing);"
      + " options given explicitly still win.")
  String recipe;

  @Option(names = "--eval-batches", defaultValue = "8", description = "Held-out batches for the recall accuracy (default ${DEFAULT-VALUE}).")
  int evalBatches;

  @Override
  public Integer call() throws Exception {
    applyRecipe();
    Backends.Selection s = device.select();
    boolean mqar = data.equals("mqar");
    MqarConfig task = new MqarConfig(mqarVocab, mqarVocab, pairs, pairs, seqLen, 1);
    try (TokenShards shards = mqar ? null : TokenShards.openDirectory(Path.of(data))) {
      int dataVocab = mqar ? task.vocabSize() : shards.vocabSize();
      if (!mqar && dataVocab < 1) {
        throw new IllegalArgumentException("--data " + data + ": the shards do not record their vocabulary size; write them with statex tokenize");
      }
      ModelConfig cfg = initFrom == null ? ModelPresets.get(model, dataVocab) : HfCheckpoint.readConfig(initFrom).model();
      if (cfg.vocabSize() < dataVocab) {
        throw new IllegalArgumentException("the model's vocabulary (" + cfg.vocabSize() + ") is smaller than the data's (" + dataVocab + ")");
      }
      Precision p = Precision.parse(precision);
      TrainConfig tc = new TrainConfig(steps, gradAccum, new Schedule(lr, minLr, warmup, steps), weightDecay, 0.9, 0.95,
          clip, p, checkpointActivations, checkpointDir, checkpointEvery, 3, metrics, 10, true);
      BatchSource train = mqar ? new Mqar(task, seed, batch) : PackedSequences.of(shards, PackingConfig.of(seqLen, batch, seed));
      try (LanguageModel m = initFrom == null ? LanguageModel.create(cfg, new Init(p.weights(), s.device(), seed))
              : HfCheckpoint.load(initFrom, s.device(), p.weights());
          Trainer trainer = new Trainer(m, train, tc, System.out)) {
        String what = mqar ? String.format(Locale.ROOT, "MQAR %d pairs of %d keys / %d values in %d tokens (chance %.1f%%)",
            pairs, mqarVocab, mqarVocab, seqLen, 100 * task.chance())
            : String.format(Locale.ROOT, "%,d tokens of %s in rows of %d", shards.size(), data, seqLen);
        System.out.printf(Locale.ROOT, "statex train: %s (%,d parameters) on %s, %s; %s%n",
            initFrom == null ? model : initFrom, m.parameterCount(), s.device(), p, what);
        if (resume) {
          long at = trainer.resume();
          System.out.println(at < 0 ? "no checkpoint to resume from; starting fresh" : "resumed at step " + at);
        }
        long t0 = System.nanoTime();
        trainer.run(Long.MAX_VALUE);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (mqar) {
          double acc = Recall.accuracy(m, new Mqar(task, seed + 1_000_003, batch), 0, evalBatches, new Compute(p.compute(), false));
          System.out.printf(Locale.ROOT, "recall accuracy %.1f%% on %d held-out sequences (chance %.1f%%); ", 100 * acc,
              evalBatches * batch, 100 * task.chance());
        }
        System.out.printf(Locale.ROOT, "%d steps in %.1f s, %d skipped%n", trainer.step(), secs, trainer.skipped());
      }
    }
    return 0;
  }

  // The recipe's values, except where the command line set an option itself.
  private void applyRecipe() {
    if (recipe == null) {
      return;
    }
    if (!recipe.equals("statex")) {
      throw new IllegalArgumentException("--recipe: expected statex, got '" + recipe + "'");
    }
    ParseResult given = spec.commandLine().getParseResult();
    Predicate<String> unset = name -> !given.hasMatchedOption(name);
    if (unset.test("--lr")) {
      lr = 3e-4;
    }
    if (unset.test("--min-lr")) {
      minLr = 0;
    }
    if (unset.test("--warmup")) {
      warmup = 1000;
    }
    if (unset.test("--weight-decay")) {
      weightDecay = 0.1;
    }
    if (unset.test("--clip")) {
      clip = 1.0;
    }
    if (unset.test("--precision")) {
      precision = "bf16-pure";
    }
    if (unset.test("--activation-checkpointing")) {
      checkpointActivations = true;
    }
  }

  /** The preset names for the help text. */
  static final class Presets extends java.util.ArrayList<String> {
    Presets() {
      super(ModelPresets.NAMES);
    }
  }
}

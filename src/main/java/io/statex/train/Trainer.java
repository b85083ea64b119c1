package io.statex.train;

import io.statex.autograd.Tape;
import io.statex.autograd.Var;
import io.statex.data.BatchSource;
import io.statex.data.TokenBatch;
import io.statex.nn.Compute;
import io.statex.nn.LanguageModel;
import io.statex.nn.Parameter;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop: for each step, gradAccum micro-batches (batch index step x gradAccum + micro
 * from the source, so a resumed run sees exactly the batches it would have), backward with the
 * loss scaled by 1 / gradAccum, the global gradient norm, the NaN guard (a non-finite loss or norm
 * skips the update and is counted; too many in a row stop the run with {@link TrainingDiverged}),
 * clipping, AdamW at the scheduled rate, then metrics, progress and checkpoints.
 */
public final class Trainer implements AutoCloseable {
  private final LanguageModel model;
  private final BatchSource data;
  private final TrainConfig cfg;
  private final Map<String, Parameter> params;
  private final AdamW opt;
  private final Compute compute;
  private final PrintStream console;
  private MetricsLog metrics;
  private long step;
  private long skipped;
  private long consecutiveSkips;
  private long tokens;

  /** One finished step: its index, mean loss, gradient norm, learning rate, whether it was applied. */
  public record StepResult(long step, double loss, double gradNorm, double lr, boolean applied) {}

  /** Raised when the NaN guard's limit of consecutive skipped steps is reached. */
  public static final class TrainingDiverged extends RuntimeException {
    TrainingDiverged(String message) {
      super(message);
    }
  }

  public Trainer(LanguageModel model, BatchSource data, TrainConfig cfg, PrintStream console) {
    this.model = model;
    this.data = data;
    this.cfg = cfg;
    this.console = console;
    this.params = distinct(model.namedParameters());
    this.opt = new AdamW(params, cfg.beta1(), cfg.beta2(), 1e-8, cfg.weightDecay());
    this.compute = new Compute(cfg.precision().compute(), cfg.checkpointActivations());
  }

  /** The number of updates done (the next step's index). */
  public long step() {
    return step;
  }

  public long skipped() {
    return skipped;
  }

  /** Continues from the newest checkpoint in cfg.checkpointDir, if there is one; returns its step or -1. */
  public long resume() throws IOException {
    if (cfg.checkpointDir() == null) {
      return -1;
    }
    Checkpoints.State s = Checkpoints.loadLatest(cfg.checkpointDir(), params, opt);
    if (s == null) {
      return -1;
    }
    step = s.step();
    skipped = s.skipped();
    tokens = s.tokens();
    return step;
  }

  /** Runs until cfg.steps() updates (or stopAt, if smaller); returns the steps this call ran. */
  public List<StepResult> run(long stopAt) throws IOException {
    long end = Math.min(cfg.steps(), stopAt);
    List<StepResult> results = new ArrayList<>();
    if (cfg.metrics() != null && metrics == null) {
      metrics = new MetricsLog(cfg.metrics());
    }
    Progress bar = cfg.progress() && console != null ? new Progress(console, "train", cfg.steps()) : null;
    long t0 = System.nanoTime(), tokens0 = tokens, first = step;
    while (step < end) {
      StepResult r = oneStep();
      results.add(r);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double tps = (tokens - tokens0) / Math.max(seconds, 1e-9);
      log(r, tps);
      if (bar != null) {
        bar.update(step, r.loss(), tps, step - first);
      }
      if (cfg.checkpointDir() != null && (step % cfg.checkpointEvery() == 0 || step == cfg.steps())) {
        Checkpoints.save(cfg.checkpointDir(), new Checkpoints.State(step, skipped, tokens), params, opt,
            model.config(), cfg.keepCheckpoints());
      }
    }
    return results;
  }

  private StepResult oneStep() {
    double lossSum = 0;
    try (TensorScope scope = TensorScope.open()) {
      for (int micro = 0; micro < cfg.gradAccum(); micro++) {
        TokenBatch b = data.batch(step * cfg.gradAccum() + micro);
        lossSum += microStep(b);
        tokens += (long) b.batch() * b.length();
      }
    }
    double loss = lossSum / cfg.gradAccum();
    double norm = GradNorm.of(params.values());
    double lr = cfg.schedule().lr(step);
    boolean finite = Double.isFinite(loss) && Double.isFinite(norm);
    if (finite) {
      GradNorm.clip(params.values(), norm, cfg.clipNorm());
      opt.step(lr);
      consecutiveSkips = 0;
    } else {
      skipped++;
      if (++consecutiveSkips >= cfg.maxSkipped()) {
        zeroGrads();
        throw new TrainingDiverged("training stopped at step " + step + ": " + consecutiveSkips
            + " steps in a row had a non-finite loss or gradient (last loss " + loss + ", gradient norm " + norm
            + "); lower the learning rate, raise clipping, or use fp32");
      }
    }
    zeroGrads();
    StepResult r = new StepResult(step, loss, norm, lr, finite);
    step++;
    return r;
  }

  private double microStep(TokenBatch b) {
    try (TensorScope scope = TensorScope.open();
        Tape tape = Tape.open()) {
      Tensor host = Tensor.ofInts(b.inputs(), b.batch(), b.length());
      Tensor ids = host.to(model.device());
      Var loss = model.loss(ids, b.targets(), compute);
      double value = loss.value().item();
      Tensor seed = Tensor.full(loss.dtype(), loss.device(), 1.0 / cfg.gradAccum(), loss.value().shapeRef());
      tape.backward(new Var[] {loss}, new Tensor[] {seed});
      return value;
    }
  }

  private void zeroGrads() {
    params.values().forEach(p -> p.var().zeroGrad());
  }

  private void log(StepResult r, double tps) {
    if (metrics == null) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("step", r.step() + 1);
    m.put("loss", r.loss());
    m.put("grad_norm", r.gradNorm());
    m.put("lr", r.lr());
    m.put("applied", r.applied() ? 1 : 0);
    m.put("skipped", skipped);
    m.put("tokens", tokens);
    m.put("tokens_per_s", tps);
    metrics.write(m);
  }

  // Tied parameters appear under two names; the optimizer must see each tensor once.
  private static Map<String, Parameter> distinct(Map<String, Parameter> named) {
    Map<String, Parameter> out = new LinkedHashMap<>();
    java.util.Set<Parameter> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    named.forEach((n, p) -> {
      if (seen.add(p)) {
        out.put(n, p);
      }
    });
    return out;
  }

  @Override
  public void close() throws IOException {
    opt.close();
    params.values().forEach(p -> p.var().releaseGrad());
    if (metrics != null) {
      metrics.close();
    }
  }
}

package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.LmHeadLoss;
import io.statex.ops.Shaping;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A causal language model of GLA or Mamba2 blocks: embedding, blocks, final RMSNorm, LM head (tied
 * to the embedding or not). Parameter names follow each family's Hugging Face checkpoints:
 * GLA {@code model.embeddings, model.layers.N.*, model.norm, lm_head} (fla's GLAForCausalLM), Mamba2
 * {@code backbone.embedding, backbone.layers.N.*, backbone.norm_f, lm_head} (mamba_ssm's
 * MambaLMHeadModel; the tied head is not a separate tensor).
 */
public final class LanguageModel extends Module {
  private final ModelConfig cfg;
  private final Embedding embedding;
  private final List<Block> blocks = new ArrayList<>();
  private final RMSNorm finalNorm;
  private final Linear lmHead;
  private final Device device;

  private LanguageModel(ModelConfig cfg, Init init) {
    this.cfg = cfg;
    this.device = init.device();
    boolean gla = cfg.family() == ModelConfig.Family.GLA;
    Body body = register(gla ? "model" : "backbone", new Body());
    embedding = body.add(gla ? "embeddings" : "embedding", new Embedding(init, cfg.vocabSize(), cfg.hidden()));
    Sequential layers = body.add("layers", new Sequential());
    for (LayerConfig l : cfg.layers()) {
      blocks.add(layers.add(new Block(init, cfg, l)));
    }
    finalNorm = body.add(gla ? "norm" : "norm_f", new RMSNorm(init, cfg.hidden(), cfg.normEps()));
    lmHead = cfg.tieEmbeddings() ? null : register("lm_head", new Linear(init, cfg.hidden(), cfg.vocabSize(), false));
  }

  /** A model with the reference initialisation for its family, drawn from init's seed. */
  public static LanguageModel create(ModelConfig cfg, Init init) {
    LanguageModel m = new LanguageModel(cfg, init);
    ReferenceInit.apply(m, init);
    return m;
  }

  /** A model with every parameter zero (to be filled from a checkpoint). */
  public static LanguageModel empty(ModelConfig cfg, Init init) {
    return new LanguageModel(cfg, init);
  }

  public ModelConfig config() {
    return cfg;
  }

  public Device device() {
    return device;
  }

  public List<Block> blocks() {
    return blocks;
  }

  /** The LM head's weight [vocab, D]: the embedding table when tied. */
  public Parameter headWeight() {
    return lmHead == null ? embedding.weight() : lmHead.weight();
  }

  /** Token ids [B, T] (I32/I64 on the model's device) to the final normalised hidden states [B, T, D]. */
  public Var hidden(Tensor ids, Compute c) {
    Var x = c.residual() == c.dtype() ? embedding.forward(ids, c) : Shaping.cast(embedding.forward(ids, c), c.residual());
    for (Block b : blocks) {
      x = b.forward(x, c);
    }
    return c.cast(finalNorm.forward(x));
  }

  /** The mean next-token loss over the positions whose target is not -1 (targets row-major [B, T]). */
  public Var loss(Tensor ids, int[] targets, Compute c) {
    Var h = hidden(ids, c);
    Var rows = Shaping.reshape(h, -1, cfg.hidden());
    return LmHeadLoss.apply(rows, c.weight(headWeight()), targets);
  }

  /** The greedy prediction at each listed flat position of [B, T] (for recall scoring). */
  public long[] predict(Tensor ids, long[] positions, Compute c) {
    Var h = hidden(ids, c);
    try (Tensor rows = h.value().reshape(-1, cfg.hidden());
        Tensor idx = Tensor.ofLongs(positions, positions.length);
        Tensor onDevice = idx.to(device);
        Tensor picked = io.statex.ops.Embedding.forward(rows, onDevice)) {
      return LmHeadLoss.argmax(picked, c.weight(headWeight()).value());
    }
  }

  /** Fresh decoding states (per layer) for n sequences. */
  public List<Tensor[]> newState(long n, Compute c) {
    List<Tensor[]> s = new ArrayList<>();
    for (Block b : blocks) {
      s.add(b.newState(n, c, device));
    }
    return s;
  }

  /** One decoding step: ids [N] to the next-token logits [N, vocab]; states advance in place. */
  public Tensor step(Tensor ids, List<Tensor[]> state, Compute c) {
    Var x = c.residual() == c.dtype() ? embedding.forward(ids, c) : Shaping.cast(embedding.forward(ids, c), c.residual());
    for (int i = 0; i < blocks.size(); i++) {
      x = blocks.get(i).step(x, state.get(i), c);
    }
    Var h = c.cast(finalNorm.forward(x));
    return io.statex.ops.MatMul.matmul(h.value(), c.weight(headWeight()).value(), false, true);
  }

  Embedding embedding() {
    return embedding;
  }

  Linear lmHead() {
    return lmHead;
  }

  /** The dtype the parameters are stored in. */
  public DType parameterDType() {
    return embedding.weight().value().dtype();
  }

  /** A container for the family's top-level names (model.* or backbone.*). */
  static final class Body extends Module {
    <M extends Module> M add(String name, M child) {
      return register(name, child);
    }
  }
}

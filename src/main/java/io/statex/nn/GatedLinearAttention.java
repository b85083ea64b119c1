package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.Elementwise;
import io.statex.ops.GatedRmsNorm;
import io.statex.ops.GlaChunk;
import io.statex.ops.Shaping;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;

/**
 * flash-linear-attention's GatedLinearAttention layer (research notes kernels.md A.1):
 *
 * <pre>
 *   q, k = x Wq^T, x Wk^T                [B,T,H,K]     v, g = x Wv^T, x Wg^T   [B,T,H,V]
 *   gk = logsigmoid(gk_proj.1(gk_proj.0(x))) / 16                               [B,T,H,K]
 *   o = GLA(q, k, v, gk), scale K^-1/2     o = RMSNorm_V(o) w * swish(g)         o_proj
 * </pre>
 *
 * Parameter names as fla's: q_proj, k_proj, v_proj, g_proj, gk_proj.0, gk_proj.1 (with bias),
 * g_norm_swish_gate, o_proj. The chunked kernel serves every length (fla switches to its recurrent
 * kernel at T <= 64; the math is the same); {@link #step} is the recurrent form for decoding.
 */
public final class GatedLinearAttention extends Module {
  private final GlaLayerConfig cfg;
  private final Linear q, k, v, g, gk0, gk1, o;
  private final Parameter norm;

  public GatedLinearAttention(Init init, long hidden, GlaLayerConfig cfg) {
    this.cfg = cfg;
    q = register("q_proj", new Linear(init, hidden, cfg.keyDim(), false));
    k = register("k_proj", new Linear(init, hidden, cfg.keyDim(), false));
    v = register("v_proj", new Linear(init, hidden, cfg.valueDim(), false));
    g = register("g_proj", new Linear(init, hidden, cfg.valueDim(), false));
    Module gk = register("gk_proj", new Sequential());
    gk0 = ((Sequential) gk).add(new Linear(init, hidden, cfg.gateLowRank(), false));
    gk1 = ((Sequential) gk).add(new Linear(init, cfg.gateLowRank(), cfg.keyDim(), true));
    norm = register("g_norm_swish_gate", new NormWeight(init, cfg.headV())).weight;
    o = register("o_proj", new Linear(init, cfg.valueDim(), hidden, false));
  }

  public GlaLayerConfig config() {
    return cfg;
  }

  /** x [B,T,D] in the compute dtype to the layer's output [B,T,D]. */
  public Var forward(Var x, Compute c) {
    long b = x.size(0), t = x.size(1);
    int h = cfg.heads();
    long hk = cfg.headK(), hv = cfg.headV();
    Var qh = Shaping.reshape(q.forward(x, c), b, t, h, hk);
    Var kh = Shaping.reshape(k.forward(x, c), b, t, h, hk);
    Var vh = Shaping.reshape(v.forward(x, c), b, t, h, hv);
    Var gate = Shaping.reshape(forgetGate(x, c), b, t, h, hk);
    Var out = GlaChunk.apply(qh, kh, vh, gate, null, null, GlaChunk.defaultScale(hk), false)[0];
    Var og = Shaping.reshape(g.forward(x, c), b, t, h, hv);
    Var normed = GatedRmsNorm.normThenGate(out, og, c.weight(norm), cfg.normEps());
    return o.forward(Shaping.reshape(normed, b, t, h * hv), c);
  }

  /** logsigmoid(gk_proj(x)) / normaliser: every step's log-decay, in (-inf, 0). */
  private Var forgetGate(Var x, Compute c) {
    Var raw = gk1.forward(gk0.forward(x, c), c);
    return Elementwise.mulScalar(Elementwise.logSigmoid(raw), 1 / cfg.gateNormalizer());
  }

  /**
   * One decoding step for N sequences: x [N, D]; state [N, H, K, V] F32, updated in place. Returns
   * the layer output [N, D]. No recording (inference).
   */
  public Var step(Var x, Tensor state, Compute c) {
    long n = x.size(0);
    int h = cfg.heads();
    long hk = cfg.headK(), hv = cfg.headV();
    try (Tensor qt = q.forward(x, c).value().reshape(n, h, hk);
        Tensor kt = k.forward(x, c).value().reshape(n, h, hk);
        Tensor vt = v.forward(x, c).value().reshape(n, h, hv);
        Tensor gt = forgetGate(x, c).value().reshape(n, h, hk)) {
      Tensor ot = GlaChunk.step(state, qt, kt, vt, gt, GlaChunk.defaultScale(hk));
      Var og = Shaping.reshape(g.forward(x, c), n, h, hv);
      Var normed = GatedRmsNorm.normThenGate(Var.constant(ot), og, c.weight(norm), cfg.normEps());
      return o.forward(Shaping.reshape(normed, n, h * hv), c);
    }
  }

  /** A fresh decoding state for n sequences. */
  public Tensor newState(long n, io.statex.tensor.Device device) {
    return Tensor.zeros(DType.F32, device, n, cfg.heads(), cfg.headK(), cfg.headV());
  }

  /** A module holding only a norm weight (ones), named "weight" under its parent. */
  static final class NormWeight extends Module {
    final Parameter weight;

    NormWeight(Init init, long dim) {
      weight = register("weight", new Parameter(init.ones(dim), "weight", false));
    }
  }
}

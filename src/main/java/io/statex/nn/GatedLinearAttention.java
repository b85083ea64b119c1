package io.statex.nn;

import io.statex.autograd.Var;
import io.statex.ops.CausalConv1d;
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
 * g_norm_swish_gate, o_proj, and with a short conv q_conv1d, k_conv1d, v_conv1d ([C, 1, W], no bias,
 * SiLU after the conv). The chunked kernel serves every length (fla switches to its recurrent
 * kernel at T <= 64; the math is the same); {@link #step} is the recurrent form for decoding.
 */
public final class GatedLinearAttention extends Module {
  private final GlaLayerConfig cfg;
  private final Linear q, k, v, g, gk0, gk1, o;
  private final Parameter norm;
  private final Parameter qConv, kConv, vConv;

  public GatedLinearAttention(Init init, long hidden, GlaLayerConfig cfg) {
    this.cfg = cfg;
    q = register("q_proj", new Linear(init, hidden, cfg.keyDim(), false));
    k = register("k_proj", new Linear(init, hidden, cfg.keyDim(), false));
    v = register("v_proj", new Linear(init, hidden, cfg.valueDim(), false));
    g = register("g_proj", new Linear(init, hidden, cfg.valueDim(), false));
    Module gk = register("gk_proj", new Sequential());
    gk0 = ((Sequential) gk).add(new Linear(init, hidden, cfg.gateLowRank(), false));
    gk1 = ((Sequential) gk).add(new Linear(init, cfg.gateLowRank(), cfg.keyDim(), true));
    qConv = cfg.convSize() == 0 ? null : register("q_conv1d", new DepthwiseConv(init, cfg.keyDim(), cfg.convSize(), false)).weight;
    kConv = cfg.convSize() == 0 ? null : register("k_conv1d", new DepthwiseConv(init, cfg.keyDim(), cfg.convSize(), false)).weight;
    vConv = cfg.convSize() == 0 ? null : register("v_conv1d", new DepthwiseConv(init, cfg.valueDim(), cfg.convSize(), false)).weight;
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
    Var qh = Shaping.reshape(conv(q.forward(x, c), qConv), b, t, h, hk);
    Var kh = Shaping.reshape(conv(k.forward(x, c), kConv), b, t, h, hk);
    Var vh = Shaping.reshape(conv(v.forward(x, c), vConv), b, t, h, hv);
    Var gate = Shaping.reshape(forgetGate(x, c), b, t, h, hk);
    Var out = GlaChunk.apply(qh, kh, vh, gate, null, null, GlaChunk.defaultScale(hk), false)[0];
    Var og = Shaping.reshape(g.forward(x, c), b, t, h, hv);
    Var normed = GatedRmsNorm.normThenGate(out, og, c.weight(norm), cfg.normEps());
    return o.forward(Shaping.reshape(normed, b, t, h * hv), c);
  }

  /** silu(short conv(x)) over [B, T, C] when the layer has one; x otherwise. */
  private Var conv(Var x, Parameter w) {
    if (w == null) {
      return x;
    }
    Var w2 = Shaping.reshape(w.var(), w.value().size(0), w.value().size(2));
    return CausalConv1d.apply(x, w2, null, null, true);
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
  public Var step(Var x, Tensor[] state, Compute c) {
    long n = x.size(0);
    int h = cfg.heads();
    long hk = cfg.headK(), hv = cfg.headV();
    try (Tensor qt = convStep(q.forward(x, c).value(), qConv, state, 1).reshape(n, h, hk);
        Tensor kt = convStep(k.forward(x, c).value(), kConv, state, 2).reshape(n, h, hk);
        Tensor vt = convStep(v.forward(x, c).value(), vConv, state, 3).reshape(n, h, hv);
        Tensor gt = forgetGate(x, c).value().reshape(n, h, hk)) {
      Tensor ot = GlaChunk.step(state[0], qt, kt, vt, gt, GlaChunk.defaultScale(hk));
      Var og = Shaping.reshape(g.forward(x, c), n, h, hv);
      Var normed = GatedRmsNorm.normThenGate(Var.constant(ot), og, c.weight(norm), cfg.normEps());
      return o.forward(Shaping.reshape(normed, n, h * hv), c);
    }
  }

  private static Tensor convStep(Tensor x, Parameter w, Tensor[] state, int slot) {
    if (w == null) {
      return x;
    }
    try (Tensor w2 = w.value().reshape(w.value().size(0), w.value().size(2))) {
      return CausalConv1d.step(state[slot], x, w2, null, true);
    }
  }

  /**
   * A fresh decoding state for n sequences: the recurrent state [N, H, K, V] F32, then with a short
   * conv the rolling inputs of the q, k and v convs ([N, W-1, C], compute dtype).
   */
  public Tensor[] newState(long n, DType dtype, io.statex.tensor.Device device) {
    Tensor s = Tensor.zeros(DType.F32, device, n, cfg.heads(), cfg.headK(), cfg.headV());
    if (cfg.convSize() == 0) {
      return new Tensor[] {s};
    }
    long w = cfg.convSize() - 1;
    return new Tensor[] {s, Tensor.zeros(dtype, device, n, w, cfg.keyDim()), Tensor.zeros(dtype, device, n, w, cfg.keyDim()),
        Tensor.zeros(dtype, device, n, w, cfg.valueDim())};
  }

  /** A module holding only a norm weight (ones), named "weight" under its parent. */
  static final class NormWeight extends Module {
    final Parameter weight;

    NormWeight(Init init, long dim) {
      weight = register("weight", new Parameter(init.ones(dim), "weight", false));
    }
  }
}

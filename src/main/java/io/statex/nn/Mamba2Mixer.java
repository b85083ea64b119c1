package io.statex.nn;

import io.statex.autograd.NoGrad;
import io.statex.autograd.Var;
import io.statex.ops.CausalConv1d;
import io.statex.ops.Elementwise;
import io.statex.ops.GatedRmsNorm;
import io.statex.ops.Shaping;
import io.statex.ops.SsdChunk;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;

/**
 * mamba_ssm's Mamba2 mixer (research notes kernels.md B.1):
 *
 * <pre>
 *   z, xBC, dt = split(in_proj(x))                      [d_inner | d_inner + 2GN | H]
 *   xBC = silu(causal_conv1d(xBC))      x, B, C = split(xBC)   x [B,T,H,P], B and C [B,T,G,N]
 *   y = SSD(x, softplus(dt + dt_bias), A = -exp(A_log), B, C, D)
 *   y = RMSNorm_group(y * silu(z)) w      out_proj(y)
 * </pre>
 *
 * Parameter names and shapes as mamba_ssm's: in_proj, conv1d.weight [C, 1, W] and conv1d.bias,
 * dt_bias, A_log, D (per head), norm.weight, out_proj. dt_bias, A_log, D and the conv weights stay in
 * their stored dtype (F32) under mixed precision, as the kernels take them.
 */
public final class Mamba2Mixer extends Module {
  private final Mamba2LayerConfig cfg;
  private final Linear inProj, outProj;
  private final Parameter convWeight, convBias, dtBias, aLog, d, norm;

  public Mamba2Mixer(Init init, long hidden, Mamba2LayerConfig cfg) {
    this.cfg = cfg;
    long ch = cfg.convChannels(), h = cfg.heads();
    inProj = register("in_proj", new Linear(init, hidden, cfg.inProjWidth(), false));
    DepthwiseConv conv = register("conv1d", new DepthwiseConv(init, ch, cfg.convWidth(), true));
    convWeight = conv.weight;
    convBias = conv.bias;
    dtBias = register("dt_bias", new Parameter(init.zeros(h), "dt_bias", false));
    aLog = register("A_log", new Parameter(init.zeros(h), "A_log", false));
    d = register("D", new Parameter(init.ones(h), "D", false));
    norm = register("norm", new GatedLinearAttention.NormWeight(init, cfg.dInner())).weight;
    outProj = register("out_proj", new Linear(init, cfg.dInner(), hidden, false));
  }

  public Mamba2LayerConfig config() {
    return cfg;
  }

  Linear inProj() {
    return inProj;
  }

  Linear outProj() {
    return outProj;
  }

  Parameter convWeight() {
    return convWeight;
  }

  Parameter convBias() {
    return convBias;
  }

  Parameter dtBias() {
    return dtBias;
  }

  Parameter aLog() {
    return aLog;
  }

  /** x [B,T,D] in the compute dtype to the mixer's output [B,T,D]. */
  public Var forward(Var x, Compute c) {
    long b = x.size(0), t = x.size(1);
    long di = cfg.dInner(), ch = cfg.convChannels(), h = cfg.heads(), gn = (long) cfg.groups() * cfg.dState();
    Var zxbcdt = inProj.forward(x, c);
    Var z = Shaping.slice(zxbcdt, 2, 0, di);
    Var xbc = Shaping.slice(zxbcdt, 2, di, di + ch);
    Var dt = Shaping.slice(zxbcdt, 2, di + ch, di + ch + h);
    Var conv = CausalConv1d.apply(xbc, convWeight2d(), convBias.var(), null, true);
    Var xs = Shaping.reshape(Shaping.slice(conv, 2, 0, di), b, t, h, cfg.headDim());
    Var bm = Shaping.reshape(Shaping.slice(conv, 2, di, di + gn), b, t, cfg.groups(), cfg.dState());
    Var cm = Shaping.reshape(Shaping.slice(conv, 2, di + gn, di + 2 * gn), b, t, cfg.groups(), cfg.dState());
    Var y = SsdChunk.apply(xs, Shaping.contiguous(dt), dtBias.var(), a(), bm, cm, d.var(), null, null, options(), false)[0];
    Var gated = GatedRmsNorm.gateThenNorm(Shaping.reshape(y, b, t, di), Shaping.contiguous(z), c.weight(norm),
        cfg.groups(), cfg.normEps());
    return outProj.forward(gated, c);
  }

  /**
   * One decoding step for N sequences: x [N, D]; the conv state [N, W-1, C] (compute dtype) and the
   * SSM state [N, H, P, N] F32 are updated in place. Returns the output [N, D].
   */
  public Var step(Var x, Tensor convState, Tensor ssmState, Compute c) {
    long n = x.size(0);
    long di = cfg.dInner(), ch = cfg.convChannels(), h = cfg.heads(), gn = (long) cfg.groups() * cfg.dState();
    try (NoGrad off = NoGrad.enter()) {
      Tensor zxbcdt = inProj.forward(x, c).value();
      try (Tensor xbc = zxbcdt.slice(1, di, di + ch);
          Tensor w2 = convWeight.value().reshape(ch, cfg.convWidth());
          Tensor conv = CausalConv1d.step(convState, xbc, w2, convBias.value(), true);
          Tensor xs = conv.slice(1, 0, di).reshape(n, h, cfg.headDim());
          Tensor bm = conv.slice(1, di, di + gn).reshape(n, cfg.groups(), cfg.dState());
          Tensor cm = conv.slice(1, di + gn, di + 2 * gn).reshape(n, cfg.groups(), cfg.dState());
          Tensor dt = zxbcdt.slice(1, di + ch, di + ch + h).contiguous();
          Tensor a = a().value();
          Tensor y = SsdChunk.step(ssmState, xs, dt, dtBias.value(), a, bm, cm, d.value(), options());
          Tensor yf = y.reshape(n, di);
          Tensor z = zxbcdt.slice(1, 0, di).contiguous()) {
        Var gated = GatedRmsNorm.gateThenNorm(Var.constant(yf), Var.constant(z), c.weight(norm), cfg.groups(),
            cfg.normEps());
        return outProj.forward(gated, c);
      }
    }
  }

  /** Fresh decoding states for n sequences: {conv state, SSM state}. */
  public Tensor[] newState(long n, DType dtype, Device device) {
    return new Tensor[] {Tensor.zeros(dtype, device, n, cfg.convWidth() - 1, cfg.convChannels()),
        Tensor.zeros(DType.F32, device, n, cfg.heads(), cfg.headDim(), cfg.dState())};
  }

  /** A = -exp(A_log), per head. */
  private Var a() {
    return Elementwise.neg(Elementwise.exp(aLog.var()));
  }

  private Var convWeight2d() {
    return Shaping.reshape(convWeight.var(), cfg.convChannels(), cfg.convWidth());
  }

  private SsdChunk.Options options() {
    return new SsdChunk.Options(cfg.chunkSize(), true, 0f, Float.POSITIVE_INFINITY);
  }
}

package io.statex.statex;

import io.statex.nn.Block;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.Parameter;
import io.statex.tensor.Tensor;
import java.util.Map;

/**
 * One selected Mamba2 block of the expanded model (research notes statex.md 2.3 and 2.4; the
 * reference is Mamba2.drop_layer in thunlp/StateX). d_state grows from N to fN; in_proj's rows stay
 * [z | x | B | C | dt] and the conv's channels [x | B | C], each of B and C now G groups of fN.
 *
 * <ul>
 *   <li>in_proj: a fresh weight with torch's Linear default U(+-1/sqrt(d)); the z, x and dt rows are
 *       copied from the source. conv1d: a fresh weight and bias with torch's Conv1d default
 *       U(+-1/sqrt(W)); the x channels are copied.
 *   <li>B and C (in_proj rows and conv channels alike): {@link InitPolicy#REINIT} keeps the fresh
 *       values (drop mode {@code mamba4}); {@link InitPolicy#INHERIT} fills each group's fN rows with
 *       its old N rows repeated f times, block-wise (mode {@code merge_copy}); {@link
 *       InitPolicy#INHERIT_ZERO} puts the old N rows first and zeros after (mode {@code merge_zero}).
 *   <li>Every policy resets dt_bias to 1, A_log to ln(1), ..., ln(H) and the gated-norm weight to ones,
 *       unless {@code reset} is false ({@code --no-reset}), which keeps the three from the source;
 *       D, out_proj and the block's pre-norm are kept.
 * </ul>
 *
 * The reference tiles all G x N rows of B as one block; for G = 1 (every released checkpoint) that is
 * the per-group tiling here. For G > 1 the reference's order would hand one group's rows to another
 * group's heads, so the groups are tiled one by one (docs/statex.md).
 */
final class Mamba2Expansion {
  private Mamba2Expansion() {}

  static void fill(Block from, Block to, InitPolicy policy, boolean reset, Draws draws) {
    Map<String, Parameter> src = from.namedParameters();
    Mamba2LayerConfig a = from.mixer().config(), b = to.mixer().config();
    to.namedParameters().forEach((name, p) -> {
      switch (name) {
        case "norm.weight", "mixer.D", "mixer.out_proj.weight" -> Copies.exact(p, src.get(name), name);
        case "mixer.dt_bias", "mixer.A_log", "mixer.norm.weight" -> {
          if (reset) {
            resetValue(name, p.value());
          } else {
            Copies.exact(p, src.get(name), name);
          }
        }
        case "mixer.in_proj.weight" -> {
          draws.torchDefault(p);
          inProj(p.value(), src.get(name).value(), a, b, policy);
        }
        case "mixer.conv1d.weight" -> {
          draws.torchDefault(p);
          conv(p.value(), src.get(name).value(), a, b, policy);
        }
        case "mixer.conv1d.bias" -> {
          draws.uniform(p, 1 / Math.sqrt(b.convWidth()));
          conv(p.value(), src.get(name).value(), a, b, policy);
        }
        default -> throw new IllegalStateException("expand: no rule for Mamba2 parameter " + name);
      }
    });
  }

  /** Rows [z | x | B | C | dt]: z and x and dt copied, B and C by policy. */
  private static void inProj(Tensor dst, Tensor src, Mamba2LayerConfig a, Mamba2LayerConfig b, InitPolicy policy) {
    long zx = 2 * a.dInner();
    Copies.rows(dst, 0, src, 0, zx);
    Copies.rows(dst, zx + bcWidth(b), src, zx + bcWidth(a), a.heads());
    stateRows(dst, zx, src, zx, a, b, policy);
  }

  /** Channels [x | B | C] of the conv weight [C, 1, W] or bias [C]: x copied, B and C by policy. */
  private static void conv(Tensor dst, Tensor src, Mamba2LayerConfig a, Mamba2LayerConfig b, InitPolicy policy) {
    Copies.rows(dst, 0, src, 0, a.dInner());
    stateRows(dst, a.dInner(), src, a.dInner(), a, b, policy);
  }

  /** The B block then the C block, each G groups: group g's fN new rows from its N old rows. */
  private static void stateRows(Tensor dst, long to, Tensor src, long from, Mamba2LayerConfig a,
      Mamba2LayerConfig b, InitPolicy policy) {
    if (policy == InitPolicy.REINIT) {
      return;
    }
    long n = a.dState(), gn = (long) a.groups() * n;
    long f = b.dState() / n, gfn = gn * f;
    for (int block = 0; block < 2; block++) {
      for (long g = 0; g < a.groups(); g++) {
        for (long k = 0; k < f; k++) {
          long at = to + block * gfn + (g * f + k) * n;
          if (k == 0 || policy == InitPolicy.INHERIT) {
            Copies.rows(dst, at, src, from + block * gn + g * n, n);
          } else {
            Copies.zeroRows(dst, at, n);
          }
        }
      }
    }
  }

  /** The reference's reset: dt_bias and the gated-norm weight 1, A_log ln(1..H). */
  private static void resetValue(String name, Tensor dst) {
    if (name.equals("mixer.A_log")) {
      aLog(dst);
    } else {
      dst.fill(1);
    }
  }

  /** A_log = ln(h) for heads h = 1..H (A_h = -h), as the reference's torch.log(torch.arange(1, H + 1)). */
  private static void aLog(Tensor dst) {
    float[] v = new float[Math.toIntExact(dst.numel())];
    for (int h = 0; h < v.length; h++) {
      v[h] = (float) Math.log(h + 1);
    }
    try (Tensor host = Tensor.of(v, v.length)) {
      dst.copyFrom(host);
    }
  }

  private static long bcWidth(Mamba2LayerConfig c) {
    return 2L * c.groups() * c.dState();
  }
}

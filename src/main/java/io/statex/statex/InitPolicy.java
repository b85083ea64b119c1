package io.statex.statex;

import java.util.Arrays;
import java.util.Locale;

/**
 * How an expanded layer's parameters start (research notes statex.md 1.2, 1.5, 2.3, 2.4).
 *
 * <ul>
 *   <li>{@link #REINIT}: the paper's default. GLA: the mixer is rebuilt from scratch; Mamba2: the
 *       new B and C rows and conv channels are drawn fresh, the z, x and dt rows kept.
 *   <li>{@link #INHERIT}: the paper's parameter-inheritance ablation. GLA: every projection kept, the
 *       gate-norm weight tiled (reference mode {@code merge}); Mamba2: B and C tiled block-wise
 *       (reference mode {@code merge_copy}).
 *   <li>{@link #INHERIT_ZERO}: Mamba2 only; B and C kept and padded with zeros (reference mode
 *       {@code merge_zero}).
 * </ul>
 *
 * Every policy also resets what the reference resets in that mode (GLA attn_norm; Mamba2 dt_bias,
 * A_log and the gated norm).
 */
public enum InitPolicy {
  REINIT("reinit"),
  INHERIT("inherit"),
  INHERIT_ZERO("inherit-zero");

  private final String cliName;

  InitPolicy(String cliName) {
    this.cliName = cliName;
  }

  /** The name the CLI and reports use. */
  public String cliName() {
    return cliName;
  }

  /** Parses reinit, inherit or inherit-zero. */
  public static InitPolicy parse(String s) {
    for (InitPolicy p : values()) {
      if (p.cliName.equals(s.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("init policy: expected one of "
        + Arrays.stream(values()).map(InitPolicy::cliName).toList() + ", got '" + s + "'");
  }
}

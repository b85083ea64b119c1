package io.statex.statex;

/**
 * What to expand and how: the selected layers; for GLA the head count each selected layer merges
 * into (its key and value widths kept, so the state grows heads / mergeInto times); for Mamba2 the
 * factor d_state is multiplied by; the init policy; and whether a Mamba2 layer's dt_bias, A_log and
 * gated-norm weight are reset as the reference resets them (true) or kept from the source (false,
 * {@code --no-reset}). Defaults as the paper: one head, x4, reinit, reset.
 */
public record ExpandSpec(LayerSelection selection, int mergeInto, int stateFactor, InitPolicy policy, boolean reset) {
  public static final int DEFAULT_MERGE_INTO = 1;
  public static final int DEFAULT_STATE_FACTOR = 4;

  public ExpandSpec {
    if (selection == null || policy == null) {
      throw new IllegalArgumentException("expand spec: selection and policy are required");
    }
    if (mergeInto < 1) {
      throw new IllegalArgumentException("expand spec: mergeInto must be >= 1, got " + mergeInto);
    }
    if (stateFactor < 1) {
      throw new IllegalArgumentException("expand spec: stateFactor must be >= 1, got " + stateFactor);
    }
  }

  /** With the reference's resets. */
  public ExpandSpec(LayerSelection selection, int mergeInto, int stateFactor, InitPolicy policy) {
    this(selection, mergeInto, stateFactor, policy, true);
  }

  /** The paper's settings on these layers: one head, d_state x4, reinit. */
  public static ExpandSpec defaults(LayerSelection selection) {
    return new ExpandSpec(selection, DEFAULT_MERGE_INTO, DEFAULT_STATE_FACTOR, InitPolicy.REINIT);
  }

  public ExpandSpec withPolicy(InitPolicy p) {
    return new ExpandSpec(selection, mergeInto, stateFactor, p, reset);
  }

  public ExpandSpec withReset(boolean r) {
    return new ExpandSpec(selection, mergeInto, stateFactor, policy, r);
  }

  /** The spec as CLI flags (recorded in the expanded checkpoint's metadata). */
  public String describe() {
    return selection.describe() + " --merge-into " + mergeInto + " --state-factor " + stateFactor + " --init "
        + policy.cliName() + (reset ? "" : " --no-reset");
  }
}

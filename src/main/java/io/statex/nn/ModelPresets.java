package io.statex.nn;

import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Named model sizes, from toys that train in seconds on a CPU to the two 1.3B configurations StateX
 * starts from (research notes: GLA-1.3B, Mamba2-1.3B). The vocabulary of the small presets comes
 * from the data; the 1.3B presets keep their tokenizers' vocabularies.
 */
public final class ModelPresets {
  public static final List<String> NAMES = List.of("gla-tiny", "gla-small", "gla-1.3b", "mamba2-tiny", "mamba2-small",
      "mamba2-1.3b");

  private ModelPresets() {}

  /** The preset by name; vocab is used by the tiny and small presets. */
  public static ModelConfig get(String name, long vocab) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "gla-tiny":
        return gla(vocab, 64, 2, 2, 4, false, 4);
      case "gla-small":
        return gla(vocab, 256, 4, 4, 4, false, 4);
      case "gla-1.3b":
        return gla(32000, 2048, 24, 4, 4, false, 0);
      case "mamba2-tiny":
        return mamba2(vocab, 64, 2, 16, 16);
      case "mamba2-small":
        return mamba2(vocab, 256, 4, 32, 64);
      case "mamba2-1.3b":
        return mamba2(50288, 2048, 48, 64, 128);
      default:
        throw new IllegalArgumentException("unknown model preset '" + name + "' (known: " + String.join(", ", NAMES) + ")");
    }
  }

  /** GLA as fla configures it, without the short convolution. */
  public static ModelConfig gla(long vocab, long hidden, int layers, int heads, int mlpRatio, boolean tie) {
    return gla(vocab, hidden, layers, heads, mlpRatio, tie, 0);
  }

  /**
   * GLA as fla configures it: heads over expand_k 0.5 / expand_v 1, SwiGLU MLP of hidden_ratio ratio,
   * norm eps 1e-6; convSize 4 adds fla's short convolution (use_short_conv), which the small presets
   * use because it lets two layers learn associative recall quickly (a previous-token mix the
   * recurrence alone learns slowly); GLA-1.3B has none.
   */
  public static ModelConfig gla(long vocab, long hidden, int layers, int heads, int mlpRatio, boolean tie, int convSize) {
    double eps = 1e-6;
    List<LayerConfig> ls = Collections.nCopies(layers, GlaLayerConfig.standard(hidden, heads, eps, convSize));
    return new ModelConfig(ModelConfig.Family.GLA, vocab, hidden, ls, ModelConfig.glaMlpWidth(hidden, mlpRatio), tie,
        eps, 0.02);
  }

  /** Mamba2 as mamba_ssm configures it: no MLP, tied embeddings, norm eps 1e-5. */
  public static ModelConfig mamba2(long vocab, long hidden, int layers, long headDim, long dState) {
    List<LayerConfig> ls = Collections.nCopies(layers, Mamba2LayerConfig.standard(hidden, headDim, dState));
    return new ModelConfig(ModelConfig.Family.MAMBA2, vocab, hidden, ls, 0, true, 1e-5, 0.02);
  }
}

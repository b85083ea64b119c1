package io.statex.io.hf;

import io.statex.nn.ModelConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The three Hugging Face checkpoint layouts the engine reads and writes, each a {@code config.json}
 * plus safetensors weights:
 *
 * <ul>
 *   <li>{@link #GLA}: flash-linear-attention's {@code GLAForCausalLM} ({@code model_type: gla});
 *       names {@code model.embeddings.weight}, {@code model.layers.N.attn.*}, {@code model.norm.weight},
 *       {@code lm_head.weight}.
 *   <li>{@link #MAMBA2_ORIGINAL}: mamba_ssm's {@code MambaLMHeadModel} with Mamba2 mixers, as
 *       {@code state-spaces/mamba2-1.3b} publishes it (a {@code MambaConfig}: {@code d_model},
 *       {@code n_layer}, {@code ssm_cfg}, ...); names {@code backbone.embedding.weight},
 *       {@code backbone.layers.N.mixer.*}, {@code backbone.norm_f.weight}.
 *   <li>{@link #MAMBA2_HF}: transformers' {@code Mamba2ForCausalLM} ({@code model_type: mamba2}); the
 *       names of the original but {@code backbone.embeddings.weight}.
 * </ul>
 *
 * The engine's own parameter names are those of GLA and of the original Mamba2 layout, so the name
 * maps are the identity except for the one embedding name of {@link #MAMBA2_HF}.
 */
public enum Layout {
  GLA("gla", ModelConfig.Family.GLA),
  MAMBA2_ORIGINAL("mamba2-original", ModelConfig.Family.MAMBA2),
  MAMBA2_HF("mamba2-hf", ModelConfig.Family.MAMBA2);

  private static final String OUR_EMBEDDING = "backbone.embedding.weight";
  private static final String HF_EMBEDDING = "backbone.embeddings.weight";

  private final String cliName;
  private final ModelConfig.Family family;

  Layout(String cliName, ModelConfig.Family family) {
    this.cliName = cliName;
    this.family = family;
  }

  /** The name on the command line and in messages: gla, mamba2-original, mamba2-hf. */
  public String cliName() {
    return cliName;
  }

  public ModelConfig.Family family() {
    return family;
  }

  /** The layout by its command-line name (case-insensitive). */
  public static Layout parse(String name) {
    for (Layout l : values()) {
      if (l.cliName.equals(name.toLowerCase(Locale.ROOT))) {
        return l;
      }
    }
    throw new IllegalArgumentException("layout: expected one of " + Arrays.stream(values()).map(Layout::cliName).toList()
        + ", got '" + name + "'");
  }

  /** The layout the engine's training checkpoints share their names with, for a family. */
  public static Layout nativeFor(ModelConfig.Family family) {
    return family == ModelConfig.Family.GLA ? GLA : MAMBA2_ORIGINAL;
  }

  /** The checkpoint's name for one of the engine's parameter names. */
  public String fileName(String ourName) {
    return this == MAMBA2_HF && ourName.equals(OUR_EMBEDDING) ? HF_EMBEDDING : ourName;
  }

  /** The engine's name for one of this layout's tensor names (inverse of {@link #fileName}). */
  public String ourName(String fileName) {
    return this == MAMBA2_HF && fileName.equals(HF_EMBEDDING) ? OUR_EMBEDDING : fileName;
  }

  /**
   * Every name a checkpoint of this layout may give the parameter, preferred first: transformers
   * renames {@code backbone.embedding.} to {@code backbone.embeddings.} when it loads a Mamba2
   * checkpoint, so both spellings occur in published {@code mamba2-hf} files.
   */
  public List<String> acceptedNames(String ourName) {
    String preferred = fileName(ourName);
    return preferred.equals(ourName) ? List.of(ourName) : List.of(preferred, ourName);
  }

  @Override
  public String toString() {
    return cliName;
  }
}

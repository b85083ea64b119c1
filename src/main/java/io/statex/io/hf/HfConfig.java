package io.statex.io.hf;

import io.statex.nn.ModelConfig;

/**
 * A model as a Hugging Face {@code config.json} describes it: the layout, the engine's model config
 * (every layer's mixer; the vocabulary as the embedding holds it), the vocabulary size the file
 * states and the multiple mamba_ssm pads it to ({@code pad_vocab_size_multiple}, 1 in the other
 * layouts), and the special token ids the file names (-1 where it names none). Kept so that a
 * conversion writes back what it read.
 */
public record HfConfig(Layout layout, ModelConfig model, long configVocabSize, int padVocabMultiple,
    SpecialTokens tokens) {

  /** bos_token_id, eos_token_id, pad_token_id; -1 when absent or null. */
  public record SpecialTokens(long bos, long eos, long pad) {
    public static final SpecialTokens NONE = new SpecialTokens(-1, -1, -1);
  }

  public HfConfig {
    if (layout.family() != model.family()) {
      throw new IllegalArgumentException("config: layout " + layout + " holds " + layout.family() + " models, got a "
          + model.family() + " model");
    }
    if (padVocabMultiple < 1 || (layout != Layout.MAMBA2_ORIGINAL && padVocabMultiple != 1)) {
      throw new IllegalArgumentException("config: padVocabMultiple must be >= 1 (and 1 outside mamba2-original), got "
          + padVocabMultiple);
    }
    if (configVocabSize < 1 || paddedVocab(configVocabSize, padVocabMultiple) != model.vocabSize()) {
      throw new IllegalArgumentException("config: vocab_size " + configVocabSize + " padded to a multiple of "
          + padVocabMultiple + " is " + paddedVocab(configVocabSize, padVocabMultiple) + ", but the model's vocabulary is "
          + model.vocabSize());
    }
  }

  /** The config of a model with no file behind it: the vocabulary as it is, no special tokens. */
  public static HfConfig of(ModelConfig model, Layout layout) {
    return new HfConfig(layout, model, model.vocabSize(), 1, SpecialTokens.NONE);
  }

  /** The same model in another layout of its family (vocabulary padding kept only between mamba2-original files). */
  public HfConfig withLayout(Layout target) {
    if (target == layout) {
      return this;
    }
    if (target.family() != model.family()) {
      throw new IllegalArgumentException("layout: a " + model.family() + " model cannot be written as " + target
          + " (" + target.family() + ")");
    }
    return new HfConfig(target, model, model.vocabSize(), 1, tokens);
  }

  /** mamba_ssm's rule: vocab_size rounded up to a multiple of pad_vocab_size_multiple. */
  public static long paddedVocab(long vocab, int multiple) {
    return vocab % multiple == 0 ? vocab : vocab + multiple - vocab % multiple;
  }
}

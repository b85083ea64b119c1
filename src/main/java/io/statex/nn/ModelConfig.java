package io.statex.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A language model: family, vocabulary, hidden width, one mixer config per layer, the MLP width
 * (GLA's SwiGLU; 0 = no MLP, as Mamba2-1.3B), tied or untied embeddings, the block norms' eps and
 * the std of the normal initialisation (0.02 in both reference families).
 */
public record ModelConfig(Family family, long vocabSize, long hidden, List<LayerConfig> layers, long mlpIntermediate,
    boolean tieEmbeddings, double normEps, double initializerRange) {

  public enum Family {
    GLA,
    MAMBA2
  }

  public ModelConfig {
    layers = Collections.unmodifiableList(new ArrayList<>(layers));
    if (vocabSize < 1 || hidden < 1 || layers.isEmpty()) {
      throw new IllegalArgumentException("model: vocabSize, hidden and the layer list must be non-empty, got "
          + vocabSize + ", " + hidden + ", " + layers.size() + " layers");
    }
    for (int i = 0; i < layers.size(); i++) {
      LayerConfig l = layers.get(i);
      boolean ok = family == Family.GLA ? l instanceof GlaLayerConfig : l instanceof Mamba2LayerConfig;
      if (!ok) {
        throw new IllegalArgumentException("model: layer " + i + " is " + l.getClass().getSimpleName() + " in a " + family + " model");
      }
    }
  }

  /** fla's GatedMLP width: 2/3 of hidden x ratio, rounded up to a multiple of 256. */
  public static long glaMlpWidth(long hidden, int ratio) {
    long raw = (long) (hidden * ratio * 2.0 / 3.0);
    return 256 * ((raw + 255) / 256);
  }

  /** This model with one layer's mixer replaced. */
  public ModelConfig withLayer(int index, LayerConfig layer) {
    List<LayerConfig> copy = new ArrayList<>(layers);
    copy.set(index, layer);
    return new ModelConfig(family, vocabSize, hidden, copy, mlpIntermediate, tieEmbeddings, normEps, initializerRange);
  }

  /** Recurrent state elements per sequence, all layers. */
  public long stateSize() {
    return layers.stream().mapToLong(LayerConfig::stateSize).sum();
  }
}

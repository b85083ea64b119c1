package io.statex.io.hf;

import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Random tiny model configs that a layout can express, with equal layers or with layer 0 expanded as StateX does. */
final class TinyModels {
  private TinyModels() {}

  static ModelConfig random(Layout layout, boolean expanded, SplittableRandom r) {
    return layout.family() == ModelConfig.Family.GLA ? gla(expanded, r) : mamba2(layout, expanded, r);
  }

  static ModelConfig gla(boolean expanded, SplittableRandom r) {
    long hidden = 8 + 4 * r.nextInt(4);
    int heads = (expanded ? 2 : 1) << r.nextInt(2); // merging heads must change something
    GlaLayerConfig layer = new GlaLayerConfig(heads, heads * (2 + 2L * r.nextInt(3)), heads * (3 + r.nextInt(6)),
        16, 16, 1e-6);
    List<LayerConfig> layers = layers(layer, expanded ? layer.mergeHeads(1) : layer, 1 + r.nextInt(3));
    return new ModelConfig(ModelConfig.Family.GLA, 5 + r.nextInt(40), hidden, layers, 8 + 8L * r.nextInt(3),
        r.nextBoolean(), 1e-6, 0.02);
  }

  static ModelConfig mamba2(Layout layout, boolean expanded, SplittableRandom r) {
    long hidden = 8 * (1 + r.nextInt(2));
    long dInner = hidden * (1 + r.nextInt(2));
    long headDim = dInner / (1 << r.nextInt(3));
    int heads = (int) (dInner / headDim);
    int groups = heads % 2 == 0 && r.nextBoolean() ? 2 : 1;
    Mamba2LayerConfig layer = new Mamba2LayerConfig(dInner, headDim, 2 + r.nextInt(7), groups, 2 + r.nextInt(3),
        4 << r.nextInt(3), 0.001, 0.1, 1e-4, 1, 16, 1e-5);
    List<LayerConfig> layers = layers(layer, expanded ? layer.expandState(4) : layer, 1 + r.nextInt(3));
    boolean tie = layout == Layout.MAMBA2_ORIGINAL ? r.nextInt(4) > 0 : r.nextBoolean();
    return new ModelConfig(ModelConfig.Family.MAMBA2, 5 + r.nextInt(40), hidden, layers, 0, tie, 1e-5, 0.02);
  }

  /** first, then n more of rest. */
  private static List<LayerConfig> layers(LayerConfig rest, LayerConfig first, int n) {
    List<LayerConfig> out = new ArrayList<>();
    out.add(first);
    for (int i = 0; i < n; i++) {
      out.add(rest);
    }
    return out;
  }
}

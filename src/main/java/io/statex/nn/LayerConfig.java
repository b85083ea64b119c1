package io.statex.nn;

/**
 * The token mixer of one layer. Per layer, because StateX makes layers of one model differ (merged
 * GLA heads, larger Mamba2 d_state); checkpoints record it per layer.
 */
public sealed interface LayerConfig permits GlaLayerConfig, Mamba2LayerConfig {
  /** Recurrent state elements per sequence in this layer. */
  long stateSize();
}

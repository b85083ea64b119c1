/**
 * The StateX transform (arXiv 2509.22630): enlarge the recurrent state of selected layers of a
 * pre-trained GLA or Mamba2 model before long-context post-training.
 *
 * <ul>
 *   <li>{@link io.statex.statex.LayerSelection}: every n-th layer from layer 0, or an explicit list.
 *   <li>{@link io.statex.statex.ExpandSpec}: the selection, the GLA merge target, the Mamba2 d_state
 *       factor and the {@link io.statex.statex.InitPolicy} (reinit, inherit, inherit-zero).
 *   <li>{@link io.statex.statex.StateX}: the expanded config, the expanded model, the report.
 *   <li>{@link io.statex.statex.ExpandReport}: state sizes per layer and in total, parameter counts.
 * </ul>
 *
 * docs/statex.md gives every initial value with its source, and where the reference code and the
 * paper's description part ways.
 */
package io.statex.statex;

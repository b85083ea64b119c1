/**
 * Hugging Face checkpoints: {@code config.json} plus safetensors, in the layouts of
 * flash-linear-attention's GLA, mamba_ssm's original Mamba2 and transformers' Mamba2.
 *
 * <ul>
 *   <li>{@link io.statex.io.hf.Layout}: the three layouts and their tensor names against the
 *       engine's parameter names.
 *   <li>{@link io.statex.io.hf.HfConfig} / {@link io.statex.io.hf.HfConfigJson}: a config in a
 *       layout, read with the reference defaults and written back; per-layer mixers in a
 *       {@code statex_layers} list when the layers differ (StateX-expanded models).
 *   <li>{@link io.statex.io.hf.HfCheckpoint}: loads a checkpoint directory (or a training
 *       checkpoint) into a {@link io.statex.nn.LanguageModel} after checking every tensor against
 *       {@link io.statex.io.hf.ParameterShapes}, and saves a model in a layout.
 * </ul>
 *
 * docs/io.md lists the layouts, the name maps and the config fields.
 */
package io.statex.io.hf;

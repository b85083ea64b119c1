package io.statex.nn;

import io.statex.tensor.Tensor;
import java.util.Map;

/**
 * The initialisation each reference library gives a fresh model.
 *
 * <ul>
 *   <li>GLA (flash-linear-attention 0.5.x, GLAPreTrainedModel._init_weights with no prenorm rescale):
 *       every Linear weight and the embedding N(0, 0.02); biases 0; norm weights 1.
 *   <li>Mamba2 (mamba_ssm's MambaLMHeadModel): Linear weights keep torch's default
 *       U(+-1/sqrt(fan_in)), out_proj redrawn that way and divided by sqrt(n_layer) (one residual per
 *       layer, no MLP); the embedding N(0, 0.02); the conv torch's default (weight and bias
 *       U(+-1/sqrt(W))); dt_bias the inverse softplus of dt = exp(U(ln dt_min, ln dt_max)) floored
 *       at dt_init_floor; A_log = ln U(1, 16); D 1; norm weights 1.
 * </ul>
 */
final class ReferenceInit {
  private ReferenceInit() {}

  static void apply(LanguageModel m, Init init) {
    ModelConfig cfg = m.config();
    Map<String, Parameter> params = m.namedParameters();
    if (cfg.family() == ModelConfig.Family.GLA) {
      params.forEach((name, p) -> {
        if (name.endsWith(".bias")) {
          p.value().fill(0);
        } else if (p.value().ndim() >= 2) {
          init.normal(p.value(), name, cfg.initializerRange());
        }
      });
      return;
    }
    int layers = cfg.layers().size();
    params.forEach((name, p) -> {
      Tensor v = p.value();
      if (name.endsWith("embedding.weight")) {
        init.normal(v, name, cfg.initializerRange());
      } else if (name.endsWith("out_proj.weight")) {
        init.uniform(v, name, 1 / Math.sqrt(v.size(1)) / Math.sqrt(layers));
      } else if (name.endsWith("in_proj.weight") || name.endsWith("conv1d.weight") || name.endsWith("lm_head.weight")) {
        init.torchDefault(v, name);
      } else if (name.endsWith("conv1d.bias")) {
        init.uniform(v, name, 1 / Math.sqrt(params.get(name.replace(".bias", ".weight")).value().size(2)));
      }
    });
    for (int i = 0; i < layers; i++) {
      Mamba2Mixer mixer = m.blocks().get(i).mixer();
      String prefix = "backbone.layers." + i + ".mixer.";
      dtBias(mixer, init, prefix + "dt_bias");
      aLog(mixer, init, prefix + "A_log");
    }
  }

  private static void dtBias(Mamba2Mixer mixer, Init init, String name) {
    Mamba2LayerConfig c = mixer.config();
    int h = (int) c.heads();
    double[] u = draw(init, name, h);
    float[] out = new float[h];
    for (int i = 0; i < h; i++) {
      double dt = Math.exp(u[i] * (Math.log(c.dtMax()) - Math.log(c.dtMin())) + Math.log(c.dtMin()));
      dt = Math.max(dt, c.dtInitFloor());
      out[i] = (float) (dt + Math.log(-Math.expm1(-dt)));
    }
    write(mixer.dtBias().value(), out);
  }

  private static void aLog(Mamba2Mixer mixer, Init init, String name) {
    Mamba2LayerConfig c = mixer.config();
    int h = (int) c.heads();
    double[] u = draw(init, name, h);
    float[] out = new float[h];
    for (int i = 0; i < h; i++) {
      out[i] = (float) Math.log(c.aMin() + u[i] * (c.aMax() - c.aMin()));
    }
    write(mixer.aLog().value(), out);
  }

  // U(0, 1) from the counter-based generator, drawn on the CPU so every device gets the same values.
  private static double[] draw(Init init, String name, int n) {
    Init cpu = new Init(io.statex.tensor.DType.F32, io.statex.tensor.Device.CPU, init.seed());
    try (Tensor t = Tensor.zeros(io.statex.tensor.DType.F32, io.statex.tensor.Device.CPU, n)) {
      cpu.uniform(t, name, 0, 1);
      return t.toDoubleArray();
    }
  }

  private static void write(Tensor dst, float[] values) {
    try (Tensor host = Tensor.of(values, values.length)) {
      dst.copyFrom(host);
    }
  }
}

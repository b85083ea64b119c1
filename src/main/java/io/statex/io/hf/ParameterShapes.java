package io.statex.io.hf;

import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every parameter a model config implies, by the engine's name, with its shape, computed without
 * allocating anything: a checkpoint is checked against this table before the model is built, so a
 * hostile config cannot make the loader allocate more than the checkpoint's own tensors hold. The
 * table mirrors the modules of io.statex.nn (LanguageModel, Block, GatedLinearAttention,
 * Mamba2Mixer, GatedMLP); a test holds the two equal.
 */
public final class ParameterShapes {
  private ParameterShapes() {}

  /** The embedding table's name. */
  public static String embedding(ModelConfig c) {
    return c.family() == ModelConfig.Family.GLA ? "model.embeddings.weight" : "backbone.embedding.weight";
  }

  /** Name to shape, in the order of LanguageModel.namedParameters (a module's own parameters before its children's). */
  public static Map<String, long[]> of(ModelConfig c) {
    Map<String, long[]> out = new LinkedHashMap<>();
    boolean gla = c.family() == ModelConfig.Family.GLA;
    String top = gla ? "model." : "backbone.";
    long d = c.hidden();
    out.put(embedding(c), new long[] {c.vocabSize(), d});
    for (int i = 0; i < c.layers().size(); i++) {
      String p = top + "layers." + i + ".";
      LayerConfig l = c.layers().get(i);
      if (l instanceof GlaLayerConfig g) {
        out.put(p + "attn_norm.weight", new long[] {d});
        gla(out, p + "attn.", d, g);
      } else {
        out.put(p + "norm.weight", new long[] {d});
        mamba2(out, p + "mixer.", d, (Mamba2LayerConfig) l);
      }
      if (c.mlpIntermediate() > 0) {
        long m = c.mlpIntermediate();
        out.put(p + "mlp_norm.weight", new long[] {d});
        out.put(p + "mlp.gate_proj.weight", new long[] {m, d});
        out.put(p + "mlp.up_proj.weight", new long[] {m, d});
        out.put(p + "mlp.down_proj.weight", new long[] {d, m});
      }
    }
    out.put(top + (gla ? "norm" : "norm_f") + ".weight", new long[] {d});
    if (!c.tieEmbeddings()) {
      out.put("lm_head.weight", new long[] {c.vocabSize(), d});
    }
    return out;
  }

  private static void gla(Map<String, long[]> out, String p, long d, GlaLayerConfig g) {
    out.put(p + "q_proj.weight", new long[] {g.keyDim(), d});
    out.put(p + "k_proj.weight", new long[] {g.keyDim(), d});
    out.put(p + "v_proj.weight", new long[] {g.valueDim(), d});
    out.put(p + "g_proj.weight", new long[] {g.valueDim(), d});
    out.put(p + "gk_proj.0.weight", new long[] {g.gateLowRank(), d});
    out.put(p + "gk_proj.1.weight", new long[] {g.keyDim(), g.gateLowRank()});
    out.put(p + "gk_proj.1.bias", new long[] {g.keyDim()});
    if (g.convSize() > 0) {
      out.put(p + "q_conv1d.weight", new long[] {g.keyDim(), 1, g.convSize()});
      out.put(p + "k_conv1d.weight", new long[] {g.keyDim(), 1, g.convSize()});
      out.put(p + "v_conv1d.weight", new long[] {g.valueDim(), 1, g.convSize()});
    }
    out.put(p + "g_norm_swish_gate.weight", new long[] {g.headV()});
    out.put(p + "o_proj.weight", new long[] {d, g.valueDim()});
  }

  private static void mamba2(Map<String, long[]> out, String p, long d, Mamba2LayerConfig m) {
    out.put(p + "dt_bias", new long[] {m.heads()});
    out.put(p + "A_log", new long[] {m.heads()});
    out.put(p + "D", new long[] {m.heads()});
    out.put(p + "in_proj.weight", new long[] {m.inProjWidth(), d});
    out.put(p + "conv1d.weight", new long[] {m.convChannels(), 1, m.convWidth()});
    out.put(p + "conv1d.bias", new long[] {m.convChannels()});
    out.put(p + "norm.weight", new long[] {m.dInner()});
    out.put(p + "out_proj.weight", new long[] {d, m.dInner()});
  }
}

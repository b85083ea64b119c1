package io.statex.statex;

import io.statex.nn.Block;
import io.statex.nn.GlaLayerConfig;
import io.statex.nn.Init;
import io.statex.nn.LanguageModel;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import io.statex.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StateX transform (arXiv 2509.22630): enlarge the recurrent state of selected layers of a
 * pre-trained model before long-context post-training. GLA layers merge their heads into fewer
 * (default one), keeping the key and value widths, so a layer's state H x K x V grows by the merge
 * factor; Mamba2 layers multiply d_state (default x4), growing in_proj's B and C rows and the conv
 * channels that carry them. How the new
 * layer starts is the {@link InitPolicy}; {@link GlaExpansion} and {@link Mamba2Expansion} hold the
 * per-family values and their sources (docs/statex.md). Everything outside the selected layers, and
 * inside them whatever the reference keeps, is copied bit for bit.
 */
public final class StateX {
  private StateX() {}

  /**
   * A new model (on the source's device, in its dtype) with the selected layers expanded; the
   * source is not modified. init must name the source's device and dtype; its seed drives every
   * fresh draw.
   */
  public static LanguageModel expand(LanguageModel source, ExpandSpec spec, Init init) {
    requireSameStorage(source, init);
    ModelConfig target = expandConfig(source.config(), spec);
    List<Integer> selected = spec.selection().resolve(source.config().layers().size());
    LanguageModel out = LanguageModel.empty(target, init);
    try {
      Map<Parameter, String> names = globalNames(out);
      copyUnselected(source, out, selected);
      for (int i : selected) {
        fillLayer(source, out, i, spec, new Draws(init, names));
      }
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /** The expanded model's config: each selected layer's mixer replaced, the rest as before. */
  public static ModelConfig expandConfig(ModelConfig source, ExpandSpec spec) {
    ModelConfig out = source;
    for (int i : spec.selection().resolve(source.layers().size())) {
      out = out.withLayer(i, expandLayer(source.layers().get(i), i, spec));
    }
    return out;
  }

  /** The report of expanding this config (no model needed). */
  public static ExpandReport report(ModelConfig source, ExpandSpec spec) {
    return ExpandReport.of(source, expandConfig(source, spec), spec.selection().resolve(source.layers().size()));
  }

  private static LayerConfig expandLayer(LayerConfig layer, int index, ExpandSpec spec) {
    if (layer instanceof GlaLayerConfig g) {
      if (spec.policy() == InitPolicy.INHERIT_ZERO) {
        throw new IllegalArgumentException("expand: init policy inherit-zero applies to Mamba2 layers only (layer "
            + index + " is GLA); use reinit or inherit");
      }
      if (!spec.reset()) {
        throw new IllegalArgumentException("expand: keeping dt_bias, A_log and the gated norm (no reset) applies to"
            + " Mamba2 layers only (layer " + index + " is GLA)");
      }
      if (g.heads() % spec.mergeInto() != 0) {
        throw new IllegalArgumentException("expand: mergeInto = " + spec.mergeInto() + " must divide layer " + index
            + "'s head count " + g.heads());
      }
      return g.mergeHeads(spec.mergeInto());
    }
    Mamba2LayerConfig m = (Mamba2LayerConfig) layer;
    try {
      Math.multiplyExact(Math.multiplyExact(m.dState(), spec.stateFactor()), 2L * m.groups());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("expand: stateFactor = " + spec.stateFactor() + " overflows layer " + index
          + "'s d_state " + m.dState());
    }
    return m.expandState(spec.stateFactor());
  }

  private static void requireSameStorage(LanguageModel source, Init init) {
    if (!init.device().equals(source.device()) || init.dtype() != source.parameterDType()) {
      throw new IllegalArgumentException("expand: init must use the source model's device and dtype ("
          + source.device() + ", " + source.parameterDType() + "), got " + init.device() + ", " + init.dtype());
    }
  }

  /** Every parameter outside the selected blocks, bit for bit. */
  private static void copyUnselected(LanguageModel source, LanguageModel out, List<Integer> selected) {
    Map<Parameter, Boolean> skip = new IdentityHashMap<>();
    for (int i : selected) {
      out.blocks().get(i).parameters().forEach(p -> skip.put(p, true));
    }
    Map<String, Parameter> from = source.namedParameters();
    out.namedParameters().forEach((name, p) -> {
      if (!skip.containsKey(p)) {
        Copies.exact(p, from.get(name), name);
      }
    });
  }

  private static void fillLayer(LanguageModel source, LanguageModel out, int i, ExpandSpec spec, Draws draws) {
    Block from = source.blocks().get(i), to = out.blocks().get(i);
    if (to.attn() != null) {
      GlaExpansion.fill(from, to, spec.policy(), draws);
    } else {
      Mamba2Expansion.fill(from, to, spec.policy(), spec.reset(), draws);
    }
  }

  private static Map<Parameter, String> globalNames(LanguageModel m) {
    Map<Parameter, String> names = new IdentityHashMap<>();
    m.namedParameters().forEach((n, p) -> names.putIfAbsent(p, n));
    return names;
  }
}

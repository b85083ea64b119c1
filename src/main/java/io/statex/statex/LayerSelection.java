package io.statex.statex;

import io.statex.nn.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which layers StateX expands: every n-th layer starting at layer 0 (layer i when i % n == 0, the
 * rule of the reference code's {@code range(0, n_layers, drop_prop)}), or an explicit list. The
 * reference README asks that n divide the layer count; {@link Every#requireDivides} enforces that
 * only when asked, since the rule itself is well defined for any n.
 */
public sealed interface LayerSelection permits LayerSelection.Every, LayerSelection.Explicit {

  /** Every n-th layer from layer 0. */
  static LayerSelection every(int n) {
    return new Every(n, false);
  }

  /**
   * The released scripts' rule for a family: GLA every 6th layer (scripts/gla_StateX.sh,
   * drop_prop 6), Mamba2 every layer (scripts/mamba2_StateX.sh, drop_prop 1; docs/statex.md says
   * why the paper's own Mamba2 run probably used fewer).
   */
  static LayerSelection referenceDefault(ModelConfig.Family family, boolean requireDivides) {
    return new Every(family == ModelConfig.Family.GLA ? 6 : 1, requireDivides);
  }

  /** Exactly these layers (0-based). */
  static LayerSelection of(int... layers) {
    return new Explicit(Arrays.stream(layers).boxed().toList());
  }

  /** The selected layer indices of a model with layerCount layers, ascending; checked against it. */
  List<Integer> resolve(int layerCount);

  /** The rule as the CLI spells it ("--every 6", "--layers 0,4,8"). */
  String describe();

  /** Layer i is selected when i % n == 0. */
  record Every(int n, boolean requireDivides) implements LayerSelection {
    public Every {
      if (n < 1) {
        throw new IllegalArgumentException("layer selection: every must be >= 1, got " + n);
      }
    }

    @Override
    public List<Integer> resolve(int layerCount) {
      requirePositive(layerCount);
      if (requireDivides && layerCount % n != 0) {
        throw new IllegalArgumentException("layer selection: every = " + n + " must divide the layer count "
            + layerCount + " (remainder " + layerCount % n + ")");
      }
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < layerCount; i += n) {
        out.add(i);
      }
      return out;
    }

    @Override
    public String describe() {
      return "--every " + n + (requireDivides ? " --require-divides" : "");
    }
  }

  /** A non-empty list of distinct layer indices, each in [0, layerCount). */
  record Explicit(List<Integer> layers) implements LayerSelection {
    public Explicit {
      layers = List.copyOf(layers);
      if (layers.isEmpty()) {
        throw new IllegalArgumentException("layer selection: the layer list is empty");
      }
      Set<Integer> seen = new HashSet<>();
      for (int i : layers) {
        if (i < 0) {
          throw new IllegalArgumentException("layer selection: layer " + i + " is negative");
        }
        if (!seen.add(i)) {
          throw new IllegalArgumentException("layer selection: layer " + i + " is listed twice in " + layers);
        }
      }
    }

    @Override
    public List<Integer> resolve(int layerCount) {
      requirePositive(layerCount);
      for (int i : layers) {
        if (i >= layerCount) {
          throw new IllegalArgumentException("layer selection: layer " + i + " is out of range for a model of "
              + layerCount + " layers (expected 0.." + (layerCount - 1) + ")");
        }
      }
      return layers.stream().sorted().toList();
    }

    @Override
    public String describe() {
      return "--layers " + String.join(",", layers.stream().map(String::valueOf).toList());
    }
  }

  private static void requirePositive(int layerCount) {
    if (layerCount < 1) {
      throw new IllegalArgumentException("layer selection: layerCount must be >= 1, got " + layerCount);
    }
  }
}

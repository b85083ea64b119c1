package io.statex.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Where and how much to evaluate: every context length (with every depth, for the needle tasks),
 * examples sequences per cell, drawn from seed, run through the model batch sequences at a time.
 * Example n of a cell is a pure function of (task, length, depth, seed, n), so two models evaluated
 * with one grid see the same examples; the passkey and needle tasks even hide the same key in
 * example n of every cell.
 */
public record Grid(List<Integer> lengths, List<Double> depths, int examples, long seed, int batch) {
  public Grid {
    lengths = List.copyOf(Objects.requireNonNull(lengths, "lengths"));
    depths = List.copyOf(Objects.requireNonNull(depths, "depths"));
    if (lengths.isEmpty()) {
      throw new IllegalArgumentException("lengths: expected at least one context length, found none");
    }
    for (int l : lengths) {
      if (l < 1) {
        throw new IllegalArgumentException("lengths: expected every length >= 1, found " + l);
      }
    }
    if (lengths.stream().distinct().count() != lengths.size()) {
      throw new IllegalArgumentException("lengths: expected distinct lengths, found " + lengths);
    }
    for (double d : depths) {
      if (!(d >= 0 && d <= 1)) {
        throw new IllegalArgumentException("depths: expected every depth in [0, 1], found " + d);
      }
    }
    if (depths.stream().distinct().count() != depths.size()) {
      throw new IllegalArgumentException("depths: expected distinct depths, found " + depths);
    }
    if (examples < 1) {
      throw new IllegalArgumentException("examples: expected >= 1 per cell, found " + examples);
    }
    if (batch < 1) {
      throw new IllegalArgumentException("batch: expected >= 1 sequences at a time, found " + batch);
    }
  }

  /** The cells of every length in order, from perLength; onCell hears each as it comes. */
  List<Cell> eachLength(IntFunction<List<Cell>> perLength, Consumer<Cell> onCell) {
    Objects.requireNonNull(onCell, "onCell");
    List<Cell> out = new ArrayList<>();
    for (int length : lengths) {
      for (Cell c : perLength.apply(length)) {
        out.add(c);
        onCell.accept(c);
      }
    }
    return out;
  }

  /** The depths of a needle task; at least one is needed there. */
  List<Double> needleDepths(String task) {
    if (depths.isEmpty()) {
      throw new IllegalArgumentException(task + ": expected at least one depth, found none");
    }
    return depths;
  }
}

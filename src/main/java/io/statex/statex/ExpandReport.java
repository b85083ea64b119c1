package io.statex.statex;

import io.statex.nn.GlaLayerConfig;
import io.statex.nn.LayerConfig;
import io.statex.nn.Mamba2LayerConfig;
import io.statex.nn.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an expansion changed: per layer the state geometry (GLA heads x K x V, Mamba2 heads x P x N)
 * and recurrent state elements per sequence before and after, the totals, and the parameter counts.
 * Built from the two configs alone, so it can be computed for models too large to allocate.
 */
public record ExpandReport(List<Row> rows, long paramsBefore, long paramsAfter) {

  /** One layer: its geometry and state size before and after, and whether it was selected. */
  public record Row(int layer, boolean selected, String before, long stateBefore, String after, long stateAfter) {}

  public ExpandReport {
    rows = List.copyOf(rows);
  }

  /** The report of expanding config before into after (same layer count), selected layers marked. */
  public static ExpandReport of(ModelConfig before, ModelConfig after, List<Integer> selected) {
    if (before.layers().size() != after.layers().size()) {
      throw new IllegalArgumentException("expand report: " + before.layers().size() + " layers before, "
          + after.layers().size() + " after");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < before.layers().size(); i++) {
      LayerConfig b = before.layers().get(i), a = after.layers().get(i);
      rows.add(new Row(i, selected.contains(i), geometry(b), b.stateSize(), geometry(a), a.stateSize()));
    }
    return new ExpandReport(rows, ParameterCounts.model(before), ParameterCounts.model(after));
  }

  public long stateBefore() {
    return rows.stream().mapToLong(Row::stateBefore).sum();
  }

  public long stateAfter() {
    return rows.stream().mapToLong(Row::stateAfter).sum();
  }

  public long paramDelta() {
    return paramsAfter - paramsBefore;
  }

  /** A fixed-width table: one line per layer (selected layers starred), totals, parameters. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-7s %-14s %14s   %-14s %14s %8s%n";
    sb.append(String.format(Locale.ROOT, fmt, "layer", "before", "state", "after", "state", "growth"));
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, fmt, r.layer() + (r.selected() ? " *" : ""), r.before(),
          grouped(r.stateBefore()), r.after(), grouped(r.stateAfter()), ratio(r.stateAfter(), r.stateBefore())));
    }
    sb.append(String.format(Locale.ROOT, fmt, "total", "", grouped(stateBefore()), "", grouped(stateAfter()),
        ratio(stateAfter(), stateBefore())));
    sb.append(String.format(Locale.ROOT, "parameters %s -> %s (%s%s)%n", grouped(paramsBefore), grouped(paramsAfter),
        paramDelta() >= 0 ? "+" : "", grouped(paramDelta())));
    sb.append("(* = expanded; state = recurrent state elements per sequence: GLA H x K x V, Mamba2 H x P x N)");
    return sb.append(System.lineSeparator()).toString();
  }

  private static String geometry(LayerConfig l) {
    if (l instanceof GlaLayerConfig g) {
      return g.heads() + "x" + g.headK() + "x" + g.headV();
    }
    Mamba2LayerConfig m = (Mamba2LayerConfig) l;
    return m.heads() + "x" + m.headDim() + "x" + m.dState();
  }

  private static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String ratio(long after, long before) {
    return String.format(Locale.ROOT, "x%.2f", (double) after / before);
  }
}

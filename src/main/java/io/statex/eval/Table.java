package io.statex.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small table of text cells, built from results once and printed two ways: aligned plain text
 * for the terminal and HTML for the report.
 */
public record Table(String title, List<String> header, List<List<String>> rows) {
  public Table {
    header = List.copyOf(header);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<String> r : rows) {
      if (r.size() != header.size()) {
        throw new IllegalArgumentException("rows: expected " + header.size() + " cells per row, found " + r.size());
      }
    }
  }

  /** One row per context length, one column per model: the score averaged over depths. */
  public static Table byLength(EvalResults r) {
    List<String> header = new ArrayList<>(List.of("length"));
    r.models().forEach(m -> header.add(m.name()));
    List<List<String>> rows = new ArrayList<>();
    for (int length : r.grid().lengths()) {
      List<String> row = new ArrayList<>(List.of(Integer.toString(length)));
      r.models().forEach(m -> row.add(score(m.scoreAt(length, r.metric()))));
      rows.add(row);
    }
    String what = r.hasDepths() ? r.metric().key() + " by context length (mean over depths)" : r.metric().key() + " by context length";
    return new Table(r.task() + ": " + what, header, rows);
  }

  /** One row per depth, one column per length, for one model. */
  public static Table depthByLength(EvalResults r, ModelResult m) {
    List<String> header = new ArrayList<>(List.of("depth"));
    r.grid().lengths().forEach(l -> header.add(Integer.toString(l)));
    List<List<String>> rows = new ArrayList<>();
    for (double d : r.grid().depths()) {
      List<String> row = new ArrayList<>(List.of(Heatmap.depthLabel(d)));
      for (int l : r.grid().lengths()) {
        Cell c = m.cell(l, d);
        row.add(score(c == null ? Double.NaN : c.score()));
      }
      rows.add(row);
    }
    return new Table(m.name() + ": " + r.metric().key() + " by needle depth and context length", header, rows);
  }

  /** Three decimals; a dash for NaN. */
  static String score(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  /** Columns padded to their widest cell, the first left-aligned and the rest right-aligned. */
  public String toText() {
    int[] w = new int[header.size()];
    for (List<String> r : withHeader()) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], r.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder(title).append('\n');
    for (List<String> r : withHeader()) {
      for (int i = 0; i < w.length; i++) {
        String cell = r.get(i);
        String pad = " ".repeat(w[i] - cell.length());
        sb.append(i == 0 ? "" : "  ").append(i == 0 ? cell + pad : pad + cell);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private List<List<String>> withHeader() {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }
}

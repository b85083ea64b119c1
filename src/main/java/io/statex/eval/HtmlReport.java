package io.statex.eval;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained HTML page of one evaluation: the settings, the models, the score-by-length plot
 * and table, and for the needle tasks each model's depth x length map and table. Plots are inlined as
 * data: URIs, so the page is one file that can be mailed or archived on its own.
 */
public final class HtmlReport {
  private static final String STYLE = """
      body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #212529; }
      table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
      th, td { border: 1px solid #dee2e6; padding: 0.25em 0.6em; text-align: right; font-variant-numeric: tabular-nums; }
      th:first-child, td:first-child { text-align: left; }
      th { background: #f1f3f5; }
      img { max-width: 100%; border: 1px solid #e9ecef; }
      caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
      """;

  private HtmlReport() {}

  /**
   * The page. byLength is the score-by-length PNG; heatmaps holds one PNG per model (in model order)
   * for tasks with depths, or is empty.
   */
  public static String render(EvalResults r, byte[] byLength, List<byte[]> heatmaps) {
    if (!heatmaps.isEmpty() && heatmaps.size() != r.models().size()) {
      throw new IllegalArgumentException("heatmaps: expected none or one per model (" + r.models().size() + "), found "
          + heatmaps.size());
    }
    StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    sb.append("<title>statex eval: ").append(esc(r.task())).append("</title>\n<style>\n").append(STYLE).append("</style>\n");
    sb.append("</head>\n<body>\n<h1>statex eval: ").append(esc(r.task())).append("</h1>\n");
    sb.append(settings(r));
    sb.append(table(models(r)));
    sb.append("<h2>").append(esc(capitalised(r.metric().key()))).append(" by context length</h2>\n");
    sb.append(image(byLength, r.task() + " " + r.metric().key() + " by context length"));
    sb.append(table(Table.byLength(r)));
    for (int i = 0; i < heatmaps.size(); i++) {
      ModelResult m = r.models().get(i);
      sb.append("<h2>").append(esc(m.name())).append(": needle depth x context length</h2>\n");
      sb.append(image(heatmaps.get(i), m.name() + " depth by length"));
      sb.append(table(Table.depthByLength(r, m)));
    }
    return sb.append("</body>\n</html>\n").toString();
  }

  private static String settings(EvalResults r) {
    Map<String, String> all = new TreeMap<>(r.settings());
    all.put("metric", r.metric().key());
    all.put("examples per cell", Integer.toString(r.grid().examples()));
    all.put("seed", Long.toString(r.grid().seed()));
    all.put("lengths", r.grid().lengths().toString());
    if (!r.grid().depths().isEmpty()) {
      all.put("depths", r.grid().depths().toString());
    }
    StringBuilder sb = new StringBuilder("<p>");
    all.forEach((k, v) -> sb.append("<b>").append(esc(k)).append("</b>: ").append(esc(v)).append("<br>\n"));
    return sb.append("</p>\n").toString();
  }

  private static Table models(EvalResults r) {
    List<List<String>> rows = r.models().stream()
        .map(m -> List.of(m.name(), m.checkpoint(), String.format(Locale.ROOT, "%,d", m.parameters()),
            String.format(Locale.ROOT, "%,d", m.stateSize()), String.format(Locale.ROOT, "%.1f", m.wallSeconds())))
        .toList();
    return new Table("Models", List.of("model", "checkpoint", "parameters", "state elements", "wall seconds"), rows);
  }

  private static String table(Table t) {
    StringBuilder sb = new StringBuilder("<table>\n<caption>").append(esc(t.title())).append("</caption>\n<tr>");
    t.header().forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
    sb.append("</tr>\n");
    for (List<String> row : t.rows()) {
      sb.append("<tr>");
      row.forEach(c -> sb.append("<td>").append(esc(c)).append("</td>"));
      sb.append("</tr>\n");
    }
    return sb.append("</table>\n").toString();
  }

  private static String image(byte[] png, String alt) {
    return "<p><img alt=\"" + esc(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png)
        + "\"></p>\n";
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Text for HTML element content and quoted attributes. */
  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}

package io.statex.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files of an evaluation in one directory, as statex eval and statex demo write them:
 * results.json, {@code <metric>-by-length.png}, one {@code heatmap-<i>-<model>.png} per model when
 * the grid has depths, and a self-contained report.html. A runtime without java.desktop (the
 * distribution can leave it out) gets results.json alone.
 */
public final class ResultFiles {
  private ResultFiles() {}

  /** results.json only: rewritten after each model, so an interrupted run keeps what it measured. */
  public static void writeJson(Path dir, EvalResults r) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.json"), ResultsJson.write(r));
  }

  /** Every file; returns false when there was no java.desktop to draw the plots (results.json is written). */
  public static boolean write(Path dir, EvalResults r) throws IOException {
    writeJson(dir, r);
    try {
      byte[] byLength = Plots.byLength(r, Plots.WIDTH, Plots.HEIGHT);
      Files.write(dir.resolve(r.metric().key() + "-by-length.png"), byLength);
      List<byte[]> heatmaps = new ArrayList<>();
      if (r.hasDepths()) {
        for (int i = 0; i < r.models().size(); i++) {
          ModelResult m = r.models().get(i);
          byte[] png = Plots.heatmap(r, m, Plots.WIDTH, Plots.HEIGHT);
          Files.write(dir.resolve(String.format(Locale.ROOT, "heatmap-%d-%s.png", i + 1, slug(m.name()))), png);
          heatmaps.add(png);
        }
      }
      Files.writeString(dir.resolve("report.html"), HtmlReport.render(r, byLength, heatmaps));
      return true;
    } catch (LinkageError e) {
      return false;  // java.awt / javax.imageio absent
    }
  }

  private static String slug(String name) {
    String s = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
    return s.substring(0, Math.min(60, s.length()));
  }
}

package io.statex.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal stream: step, loss, tokens/s and ETA, redrawn in place
 * (carriage return) at most a few times per second; a final newline when done.
 */
public final class Progress {
  private final PrintStream out;
  private final String label;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastDraw;

  public Progress(PrintStream out, String label, long total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  /** Redraws for done of total steps, with the latest loss and the throughput so far. */
  public void update(long done, double loss, double tokensPerSecond, long doneThisRun) {
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 250_000_000L) {
      return;
    }
    lastDraw = now;
    double elapsed = (now - startNanos) / 1e9;
    double eta = doneThisRun == 0 ? 0 : elapsed / doneThisRun * (total - done);
    int width = 24, filled = (int) (width * done / Math.max(1, total));
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    out.print(String.format(Locale.ROOT, "\r%s [%s] %d/%d loss %.4f  %.0f tok/s  ETA %s ", label, bar, done, total, loss,
        tokensPerSecond, clock(eta)));
    if (done >= total) {
      out.println();
    }
    out.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}

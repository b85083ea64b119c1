package io.statex.eval;

import java.util.Locale;

/** What a cell's score means. */
public enum Metric {
  /** The fraction of scored answers right, in [0, 1]; higher is better. */
  ACCURACY,
  /** exp(mean next-token NLL), at least 1; lower is better. */
  PERPLEXITY;

  /** The name in results files. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Metric parse(String key) {
    for (Metric m : values()) {
      if (m.key().equals(key)) {
        return m;
      }
    }
    throw new IllegalArgumentException("metric: expected accuracy or perplexity, found '" + key + "'");
  }
}

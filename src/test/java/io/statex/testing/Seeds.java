package io.statex.testing;

/** Fresh seeds for every test run (named in failure messages so a failure can be replayed). */
public final class Seeds {
  private static final long BASE = Long.getLong("statex.test.seed", System.nanoTime());

  private Seeds() {}

  /** A seed unique to this run and name. */
  public static long fresh(String name) {
    return BASE * 0x9E3779B97F4A7C15L + name.hashCode();
  }

  public static String describe() {
    return "base seed " + BASE + " (replay with -Dstatex.test.seed=" + BASE + ")";
  }
}

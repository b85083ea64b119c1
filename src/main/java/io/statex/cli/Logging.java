package io.statex.cli;

/** One-line log records on stderr ("statex INFO io.statex.backend: backend: cpu (...)"). */
final class Logging {
  private Logging() {}

  static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "statex %4$s %3$s: %5$s%6$s%n");
    }
  }
}

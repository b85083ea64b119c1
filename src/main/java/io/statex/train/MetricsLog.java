package io.statex.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/** One JSON object per line per logged step (appended, so a resumed run continues the same file). */
public final class MetricsLog implements AutoCloseable {
  private final Writer out;

  public MetricsLog(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Writes the entries (numbers as JSON numbers; NaN and infinities as strings) and flushes. */
  public void write(Map<String, ?> entries) {
    StringBuilder sb = new StringBuilder("{");
    entries.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('"').append(k).append("\": ").append(value(v));
    });
    try {
      out.write(sb.append("}\n").toString());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("metrics log: " + e.getMessage(), e);
    }
  }

  private static String value(Object v) {
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return "\"" + d + "\"";
    }
    if (v instanceof Double d) {
      return String.format(Locale.ROOT, "%.6g", d);
    }
    if (v instanceof Number) {
      return v.toString();
    }
    return "\"" + v.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

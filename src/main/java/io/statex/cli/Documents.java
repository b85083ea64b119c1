package io.statex.cli;

import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The documents of an input file for {@code statex tokenize}: a {@code .jsonl} file holds one JSON
 * object per line whose text field is the document (blank lines skipped); any other file is one
 * document. {@code .gz} files are decompressed. Text must be strict UTF-8, and a document or line
 * longer than the limit is an error naming the file and line rather than an unbounded allocation.
 */
final class Documents {
  /** Receives one document. */
  interface Sink {
    void accept(String text) throws IOException;
  }

  private Documents() {}

  static boolean isJsonLines(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
  }

  /** Reads every document of file into sink; returns the count. */
  static long read(Path file, String field, int maxChars, Sink sink) throws IOException {
    try (Reader in = open(file)) {
      if (!isJsonLines(file)) {
        sink.accept(readAll(in, maxChars, file));
        return 1;
      }
      BufferedReader lines = new BufferedReader(in, 1 << 16);
      long docs = 0;
      StringBuilder line = new StringBuilder();
      for (long n = 1; readLine(lines, line, 2L * maxChars + 1024, file, n); n++) {
        if (!line.toString().isBlank()) {
          sink.accept(text(line.toString(), field, maxChars, file + ":" + n));
          docs++;
        }
      }
      return docs;
    } catch (CharacterCodingException e) {
      throw new IOException(file + ": not valid UTF-8 (" + e + ")", e);
    }
  }

  private static Reader open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    try {
      InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
      return new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  private static String readAll(Reader in, int maxChars, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[1 << 16];
    for (int n; (n = in.read(buf)) >= 0; ) {
      if (sb.length() + n > maxChars) {
        throw new IOException(file + ": longer than --max-doc-chars (" + maxChars + " chars); split it, or use JSON lines");
      }
      sb.append(buf, 0, n);
    }
    return sb.toString();
  }

  /** The next line (without its end) into line; false at the end of input. */
  private static boolean readLine(BufferedReader in, StringBuilder line, long max, Path file, long n) throws IOException {
    line.setLength(0);
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (line.length() >= max) {
        throw new IOException(file + ":" + n + ": line longer than " + max + " chars (twice --max-doc-chars)");
      }
      line.append((char) c);
    }
    if (c < 0 && line.length() == 0) {
      return false;
    }
    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
      line.setLength(line.length() - 1);
    }
    return true;
  }

  private static String text(String line, String field, int maxChars, String where) throws IOException {
    try {
      JsonObject o = JsonObject.of(Json.parse(line), "");
      String text = o.string(field);
      if (text.length() > maxChars) {
        throw new IOException(where + ": " + field + " is " + text.length() + " chars, longer than --max-doc-chars (" + maxChars + ")");
      }
      return text;
    } catch (JsonException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
  }
}

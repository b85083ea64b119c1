package io.statex.io.tokenizer;

import io.statex.io.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns token strings back into text, as a chain of steps over the list of token strings (the
 * reference library's "decode chain"): LLaMA replaces "▁" by spaces, fuses {@code <0xNN>} byte
 * tokens into characters, joins and strips the one leading space; GPT-NeoX maps the byte-level
 * alphabet back to bytes.
 */
sealed interface Decoder {
  List<String> decodeChain(List<String> tokens);

  /** Reads the {@code decoder} field's value (not null). */
  static Decoder fromJson(JsonObject json) throws IOException {
    String type = json.string("type");
    switch (type) {
      case "Sequence":
        List<Decoder> steps = new ArrayList<>();
        for (JsonObject step : Components.objects(json, "decoders")) {
          steps.add(fromJson(step));
        }
        return new Sequence(List.copyOf(steps));
      case "Replace":
        return new Replace(Components.pattern(json), json.string("content"));
      case "ByteFallback":
        return new ByteFallback();
      case "Fuse":
        return new Fuse();
      case "Strip":
        return Strip.fromJson(json);
      case "ByteLevel":
        return new ByteLevelDecode();
      case "Metaspace":
        PreTokenizer.Metaspace m = PreTokenizer.Metaspace.fromJson(json);
        return new Metaspace(m.replacement(), m.scheme() != PreTokenizer.Metaspace.Prepend.NEVER);
      default:
        throw Components.unsupported(json, "decoder", type);
    }
  }

  record Sequence(List<Decoder> steps) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
      for (Decoder step : steps) {
        tokens = step.decodeChain(tokens);
      }
      return tokens;
    }
  }

  record Replace(Components.Pattern pattern, String content) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) {
        out.add(pattern.replaceAll(t, content));
      }
      return out;
    }
  }

  /**
   * Runs of {@code <0xNN>} tokens become the text their bytes spell; a run that is not valid UTF-8
   * becomes one U+FFFD per byte, as in the reference library.
   */
  record ByteFallback() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      byte[] run = new byte[16];
      int n = 0;
      for (String t : tokens) {
        int b = byteValue(t);
        if (b >= 0) {
          if (n == run.length) {
            run = java.util.Arrays.copyOf(run, 2 * n);
          }
          run[n++] = (byte) b;
          continue;
        }
        flush(run, n, out);
        n = 0;
        out.add(t);
      }
      flush(run, n, out);
      return out;
    }

    private static void flush(byte[] run, int n, List<String> out) {
      if (n == 0) {
        return;
      }
      String s = Text.utf8OrNull(run, n);
      out.add(s != null ? s : "\uFFFD".repeat(n));
    }

    /** The byte of a {@code <0xNN>} token, or -1. */
    static int byteValue(String t) {
      if (t.length() != 6 || !t.startsWith("<0x") || t.charAt(5) != '>') {
        return -1;
      }
      int hi = Character.digit(t.charAt(3), 16);
      int lo = Character.digit(t.charAt(4), 16);
      return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
  }

  record Fuse() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
      return List.of(String.join("", tokens));
    }
  }

  /** Removes up to {@code start} leading and {@code stop} trailing copies of a character. */
  record Strip(char content, int start, int stop) implements Decoder {
    static Strip fromJson(JsonObject json) throws IOException {
      String content = json.string("content");
      if (content.length() != 1) {
        throw new TokenizerFormatException(
            json.pathOf("content") + ": expected one character, got \"" + content + "\"");
      }
      return new Strip(
          content.charAt(0),
          json.integer("start", 0, Integer.MAX_VALUE),
          json.integer("stop", 0, Integer.MAX_VALUE));
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      for (String t : tokens) {
        int from = 0;
        while (from < start && from < t.length() && t.charAt(from) == content) {
          from++;
        }
        int to = t.length();
        while (t.length() - to < stop && to > from && t.charAt(to - 1) == content) {
          to--;
        }
        out.add(t.substring(from, to));
      }
      return out;
    }
  }

  /** All tokens to bytes through the byte-level alphabet, then UTF-8 (invalid bytes: U+FFFD). */
  record ByteLevelDecode() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (String t : tokens) {
        ByteLevel.appendBytes(t, bytes);
      }
      return List.of(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
    }
  }

  /** "▁" back to spaces; the first token loses the space the pre-tokenizer prepended. */
  record Metaspace(char replacement, boolean stripPrepended) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
      List<String> out = new ArrayList<>(tokens.size());
      for (int i = 0; i < tokens.size(); i++) {
        String t = tokens.get(i).replace(replacement, ' ');
        if (i == 0 && stripPrepended && t.startsWith(" ")) {
          t = t.substring(1);
        }
        out.add(t);
      }
      return out;
    }
  }
}

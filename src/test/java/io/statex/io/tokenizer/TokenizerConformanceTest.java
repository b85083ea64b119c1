package io.statex.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.io.json.Json;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Encodes and decodes the fixture strings of src/test/resources/tokenizer and compares with the
 * ids and text an independent implementation produced (make-fixtures/make-fixtures.js, run with
 * the JavaScript port of the Hugging Face pipeline). Nothing expected here comes from the code
 * under test.
 */
class TokenizerConformanceTest {
  /**
   * A tokenizer file, its fixture lines, and what its pipeline is known to change in text: a
   * Unicode normalization form, "▁" read back as a space, and (Metaspace pre-tokenizer with its
   * decoder) a leading space, which the pre-tokenizer does not double and the decoder strips.
   */
  record Case(String name, String tokenizer, String fixtures, java.text.Normalizer.Form form,
      boolean metaspace, boolean leadingSpaceLost) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** One fixture line: the text, its ids with and without special tokens, decode(plain). */
  record Line(int number, String text, int[] ids, int[] plain, String decoded) {}

  static Stream<Arguments> cases() {
    return Stream.of(
            new Case("llama2", "llama2/tokenizer.json", "llama2/llama2.jsonl", null, true, false),
            new Case("claude", "claude/tokenizer.json", "claude/claude.jsonl",
                java.text.Normalizer.Form.NFKC, false, false),
            new Case("neox-style", "variants/neox-style.tokenizer.json.gz",
                "variants/neox-style.jsonl", java.text.Normalizer.Form.NFC, false, false),
            new Case("split-sequence", "variants/split-sequence.tokenizer.json.gz",
                "variants/split-sequence.jsonl", null, false, false),
            new Case("llama2-metaspace", "variants/llama2-metaspace.tokenizer.json.gz",
                "variants/llama2-metaspace.jsonl", null, true, true))
        .map(Arguments::of);
  }

  private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

  static Tokenizer tokenizer(String resource) {
    return LOADED.computeIfAbsent(resource, r -> {
      try {
        return Tokenizer.fromJson(resourcePath(r));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static Path resourcePath(String resource) {
    try {
      return Path.of(TokenizerConformanceTest.class.getResource("/tokenizer/" + resource).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource tokenizer/" + resource, e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void encodeMatchesReference(Case c) throws IOException {
    Tokenizer t = tokenizer(c.tokenizer());
    List<Line> lines = lines(c);
    assertTrue(lines.size() >= 300, c + ": expected a few hundred fixture strings, got " + lines.size());
    for (Line line : lines) {
      compareIds(t, c, line, "encode(text)", line.ids(), t.encode(line.text()));
      compareIds(t, c, line, "encode(text, false)", line.plain(), t.encode(line.text(), false));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decodeMatchesReference(Case c) throws IOException {
    Tokenizer t = tokenizer(c.tokenizer());
    for (Line line : lines(c)) {
      String actual = t.decode(line.plain());
      if (!actual.equals(line.decoded())) {
        fail(c + " line " + line.number() + ": decode(" + Arrays.toString(line.plain()) + ")"
            + "\n  text:     " + quote(line.text())
            + "\n  expected: " + quote(line.decoded())
            + "\n  actual:   " + quote(actual));
      }
    }
  }

  /**
   * decode(encode(s)) gives s back, except where the pipeline itself changes the text: a Unicode
   * normalizer, "▁" read back as a space (SentencePiece family), or the literal text of an added
   * token, which becomes that token's id. Those exceptions are decided here from the text, not
   * from the reference's output, and must stay a minority (NFKC changes about a third of the
   * strings: full-width forms, ligatures, compatibility digits, composed accents).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decodeInvertsEncode(Case c) throws IOException {
    Tokenizer t = tokenizer(c.tokenizer());
    int checked = 0;
    List<Line> lines = lines(c);
    for (Line line : lines) {
      String s = line.text();
      if (changedByPipeline(t, c, s)) {
        continue;
      }
      checked++;
      int[] withSpecials = t.encode(s);
      int[] plain = t.encode(s, false);
      assertEquals(s, t.decode(plain), c + " line " + line.number() + ": decode(encode(s, false))");
      assertEquals(s, t.decode(withSpecials, true), c + " line " + line.number()
          + ": decode(encode(s), skipSpecialTokens)");
    }
    assertTrue(checked >= lines.size() * 3 / 5,
        c + ": only " + checked + " of " + lines.size() + " strings were round-tripped");
  }

  static boolean changedByPipeline(Tokenizer t, Case c, String s) {
    if (c.form() != null && !java.text.Normalizer.isNormalized(s, c.form())) {
      return true;
    }
    if (c.metaspace() && s.indexOf('\u2581') >= 0) {
      return true;
    }
    if (c.leadingSpaceLost() && s.startsWith(" ")) {
      return true;
    }
    for (String special : List.of("<s>", "</s>", "<unk>", "<EOT>", "<META>", "<META_START>", "<META_END>", "<SOS>")) {
      if (s.contains(special) && t.isSpecial(t.tokenToId(special).orElse(-1))) {
        return true;
      }
    }
    return false;
  }

  private static void compareIds(Tokenizer t, Case c, Line line, String what, int[] expected,
      int[] actual) {
    if (Arrays.equals(expected, actual)) {
      return;
    }
    int i = 0;
    while (i < expected.length && i < actual.length && expected[i] == actual[i]) {
      i++;
    }
    fail(c + " line " + line.number() + ": " + what + " differs at position " + i
        + "\n  text:     " + quote(line.text())
        + "\n  expected: " + describe(t, expected, i)
        + "\n  actual:   " + describe(t, actual, i));
  }

  private static String describe(Tokenizer t, int[] ids, int i) {
    if (i >= ids.length) {
      return "(ends after " + ids.length + " ids)";
    }
    return "id " + ids[i] + " " + quote(t.idToToken(ids[i])) + " (" + ids.length + " ids: "
        + Arrays.toString(Arrays.copyOfRange(ids, Math.max(0, i - 3), Math.min(ids.length, i + 4)))
        + " around it)";
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.append('"').toString();
  }

  private static final Map<String, List<Line>> LINES = new ConcurrentHashMap<>();

  static List<Line> lines(Case c) throws IOException {
    List<Line> cached = LINES.get(c.fixtures());
    if (cached != null) {
      return cached;
    }
    List<Line> lines = new ArrayList<>();
    List<String> raw = Files.readAllLines(resourcePath(c.fixtures()), StandardCharsets.UTF_8);
    for (int i = 0; i < raw.size(); i++) {
      JsonObject o = Json.parseObject(raw.get(i), c.fixtures() + ":" + (i + 1));
      lines.add(new Line(i + 1, o.string("text"), ints(o, "ids"), ints(o, "plain"),
          o.string("decoded")));
    }
    LINES.put(c.fixtures(), lines);
    return lines;
  }

  private static int[] ints(JsonObject o, String key) throws IOException {
    List<JsonValue> list = o.array(key);
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = JsonObject.asInt(list.get(i), key, 0, Integer.MAX_VALUE);
    }
    return out;
  }
}

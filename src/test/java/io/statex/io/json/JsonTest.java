package io.statex.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict JSON reader: what it accepts, what it refuses, and random documents round-tripped. */
class JsonTest {
  @Test
  void parsesEveryValueKind() throws JsonException {
    Object v = Json.parse(
        " {\"a\": [1, -0, 2.5, -1e3, 12345678901234567890, true, false, null],"
            + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"o\": {}, \"e\": []} ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("a", Arrays.asList(1L, 0L, 2.5, -1000.0, 1.2345678901234567e19, true, false, null));
    expected.put("s", "q\"\\/\b\f\n\r\t\u00e9\ud83d\ude00");
    expected.put("o", Map.of());
    expected.put("e", List.of());
    assertEquals(expected, v);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", " ", "{", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "['a']", "01", "-", "1.",
    ".5", "1e", "+1", "NaN", "Infinity", "tru", "nul", "\"abc", "\"a\\x\"", "\"\\u12g4\"",
    "\"tab\there\"", "[1] 2", "// c\n1", "/* c */ 1", "{\"a\":1,\"a\":2}", "\"\\ud800\"",
    "\"\\udc00\"", "\"\\ud800\\u0041\"", "1e999", "\u00a01"
  })
  void refusesWhatTheGrammarDoesNot(String text) {
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
    assertTrue(e.getMessage().startsWith("JSON syntax error at line "), e.getMessage());
  }

  @Test
  void boundsDepthAndLength() throws JsonException {
    String deep = "[".repeat(65) + "]".repeat(65);
    JsonException e = assertThrows(JsonException.class, () -> Json.parse(deep));
    assertTrue(e.getMessage().contains("nesting deeper than 64"), e.getMessage());
    assertEquals(1, ((List<?>) Json.parse("[".repeat(64) + "]".repeat(64))).size());
    String veryDeep = "[".repeat(100_000);
    assertThrows(JsonException.class, () -> Json.parse(veryDeep));
    assertThrows(JsonException.class, () -> Json.parse("[1,2]", new Json.Limits(4, 64)));
    assertThrows(IllegalArgumentException.class, () -> new Json.Limits(10, 1_000_000));
  }

  @Test
  void readsStrictUtf8() throws Exception {
    byte[] ok = "{\"k\": \"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("{\"k\": \"\u00e9\"}", Json.readUtf8(new ByteArrayInputStream(ok), 100, "f"));
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, '1'};
    assertThrows(JsonException.class, () -> Json.readUtf8(new ByteArrayInputStream(bom), 100, "f"));
    byte[] bad = {'"', (byte) 0xc3, '"'};
    JsonException e = assertThrows(JsonException.class,
        () -> Json.readUtf8(new ByteArrayInputStream(bad), 100, "f"));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    JsonException big = assertThrows(JsonException.class,
        () -> Json.readUtf8(new ByteArrayInputStream(new byte[101]), 100, "f"));
    assertTrue(big.getMessage().contains("at most 100 bytes"), big.getMessage());
  }

  @Test
  void typedGettersNameTheField() throws JsonException {
    JsonObject o = Json.parseObject("{\"m\": {\"n\": [1, \"x\"], \"b\": 3, \"z\": null}}", "f.json");
    JsonObject m = o.object("m");
    JsonException e = assertThrows(JsonException.class, () -> m.string("n"));
    assertEquals("f.json.m.n: expected a string, got an array", e.getMessage());
    e = assertThrows(JsonException.class,
        () -> JsonObject.asInt(m.array("n").get(1), JsonObject.elementPath(m.pathOf("n"), 1), 0, 9));
    assertEquals("f.json.m.n[1]: expected an integer, got the string \"x\"", e.getMessage());
    e = assertThrows(JsonException.class, () -> m.integer("b", 0, 2));
    assertEquals("f.json.m.b: expected an integer in [0, 2], got 3", e.getMessage());
    e = assertThrows(JsonException.class, () -> m.object("z"));
    assertEquals("f.json.m.z: missing (null) field", e.getMessage());
    assertEquals("d", m.string("absent", "d"));
  }

  /** Random documents written by a small writer here and read back equal. */
  @Test
  void randomDocumentsRoundTrip() throws JsonException {
    Random r = new Random(Seeds.fresh("jsonRoundTrip"));
    for (int i = 0; i < 300; i++) {
      Object v = randomValue(r, 0);
      StringBuilder sb = new StringBuilder();
      write(v, sb, r);
      String text = sb.toString();
      assertEquals(v, Json.parse(text), () -> text + "; " + Seeds.describe());
    }
  }

  private static Object randomValue(Random r, int depth) {
    int kind = r.nextInt(depth > 4 ? 5 : 7);
    return switch (kind) {
      case 0 -> null;
      case 1 -> r.nextBoolean();
      case 2 -> r.nextLong() >> r.nextInt(64);
      case 3 -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20);
      case 4 -> randomString(r);
      case 5 -> {
        List<Object> list = new ArrayList<>();
        for (int n = r.nextInt(5); n > 0; n--) {
          list.add(randomValue(r, depth + 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int n = r.nextInt(5); n > 0; n--) {
          map.put(randomString(r), randomValue(r, depth + 1));
        }
        yield map;
      }
    };
  }

  private static String randomString(Random r) {
    StringBuilder sb = new StringBuilder();
    for (int n = r.nextInt(8); n > 0; n--) {
      int cp;
      do {
        cp = r.nextInt(4) == 0 ? r.nextInt(0x110000) : r.nextInt(0x80);
      } while (cp >= 0xD800 && cp <= 0xDFFF);
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  /** Writes JSON, escaping some characters as \\u sequences at random. */
  private static void write(Object v, StringBuilder sb, Random r) {
    if (v instanceof Map<?, ?> map) {
      sb.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(sep).append(r.nextBoolean() ? " " : "");
        write(e.getKey(), sb, r);
        sb.append(':');
        write(e.getValue(), sb, r);
        sep = ",\n";
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append("[\t");
      for (int i = 0; i < list.size(); i++) {
        sb.append(i > 0 ? " ," : "");
        write(list.get(i), sb, r);
      }
      sb.append("\r\n]");
    } else if (v instanceof String s) {
      sb.append('"');
      // whole code points are escaped or not: a surrogate pair as two \\u escapes
      s.codePoints().forEach(cp -> {
        if (cp == '"' || cp == '\\' || cp < 0x20 || r.nextInt(8) == 0) {
          for (char c : Character.toChars(cp)) {
            sb.append(String.format("\\u%04X", (int) c));
          }
        } else {
          sb.appendCodePoint(cp);
        }
      });
      sb.append('"');
    } else if (v instanceof Double d) {
      sb.append(d.toString().replace("Infinity", "1"));
    } else {
      sb.append(v);
    }
  }
}

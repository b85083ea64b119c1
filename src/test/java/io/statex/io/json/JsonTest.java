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
    Object v = toJava(Json.parse(
        " {\"a\": [1, -0, 2.5, -1e3, 12345678901234567890, true, false, null],"
            + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"o\": {}, \"e\": []} "));
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
    assertEquals(1, ((JsonValue.Arr) Json.parse("[".repeat(64) + "]".repeat(64))).items().size());
    String veryDeep = "[".repeat(100_000);
    assertThrows(JsonException.class, () -> Json.parse(veryDeep));
    assertThrows(JsonException.class, () -> Json.parse("[1,2]", new Json.Limits(4, 64, 100)));
    assertThrows(IllegalArgumentException.class, () -> new Json.Limits(10, 1_000_000, 100));
    JsonException many = assertThrows(JsonException.class, () -> Json.parse("[1,2,3]", new Json.Limits(100, 64, 3)));
    assertTrue(many.getMessage().contains("more than 3 values"), many.getMessage());
    assertEquals(2, ((JsonValue.Arr) Json.parse("[1,2]", new Json.Limits(100, 64, 3))).items().size()); // 3 values
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
      assertEquals(v, toJava(Json.parse(text)), () -> text + "; " + Seeds.describe());
    }
  }

  /** Python's non-finite literals only under Syntax.PYTHON, as numbers; everything else as strict. */
  @Test
  void pythonSyntaxAddsOnlyNonFiniteNumbers() throws JsonException {
    JsonValue v = Json.parse("[NaN, Infinity, -Infinity, 1.5]", Json.DEFAULT_LIMITS, Json.Syntax.PYTHON);
    List<JsonValue> items = ((JsonValue.Arr) v).items();
    assertTrue(Double.isNaN(((JsonValue.Num) items.get(0)).toDouble()));
    assertEquals(Double.POSITIVE_INFINITY, ((JsonValue.Num) items.get(1)).toDouble());
    assertEquals(Double.NEGATIVE_INFINITY, ((JsonValue.Num) items.get(2)).toDouble());
    for (String bad : new String[] {"Inf", "-NaN", "nan", "infinity", "- Infinity", "Infinityx", "[1,]"}) {
      assertThrows(JsonException.class, () -> Json.parse(bad, Json.DEFAULT_LIMITS, Json.Syntax.PYTHON), bad);
    }
    JsonObject o = JsonObject.of(Json.parse("{\"x\": Infinity}", Json.DEFAULT_LIMITS, Json.Syntax.PYTHON), "c");
    JsonException e = assertThrows(JsonException.class, () -> o.number("x"));
    assertEquals("c.x: expected a finite number, got the number Infinity", e.getMessage());
  }

  @Test
  void writerOutputParsesBackEqual() throws JsonException {
    Random r = new Random(Seeds.fresh("writerOutputParsesBackEqual"));
    for (int i = 0; i < 200; i++) {
      JsonValue v = fromJava(randomValue(r, 0));
      assertEquals(v, Json.parse(JsonWriter.compact(v)), Seeds.describe());
      assertEquals(v, Json.parse(JsonWriter.pretty(v)), Seeds.describe());
    }
  }

  /** The parsed tree as plain Java values: integers that fit as Long, other numbers as Double. */
  private static Object toJava(JsonValue v) {
    if (v instanceof JsonValue.Obj o) {
      Map<String, Object> m = new LinkedHashMap<>();
      o.members().forEach((k, x) -> m.put(k, toJava(x)));
      return m;
    } else if (v instanceof JsonValue.Arr a) {
      return a.items().stream().map(JsonTest::toJava).collect(java.util.stream.Collectors.toList());
    } else if (v instanceof JsonValue.Str s) {
      return s.value();
    } else if (v instanceof JsonValue.Bool b) {
      return b.value();
    } else if (v instanceof JsonValue.Num n) {
      return n.exactLong().isPresent() ? (Object) n.exactLong().getAsLong() : (Object) n.toDouble();
    }
    return null;
  }

  private static JsonValue fromJava(Object v) {
    if (v instanceof Map<?, ?> m) {
      Map<String, JsonValue> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put((String) k, fromJava(x)));
      return new JsonValue.Obj(out);
    } else if (v instanceof List<?> l) {
      return new JsonValue.Arr(l.stream().map(JsonTest::fromJava).toList());
    } else if (v instanceof String s) {
      return new JsonValue.Str(s);
    } else if (v instanceof Boolean b) {
      return new JsonValue.Bool(b);
    } else if (v instanceof Long n) {
      return JsonValue.Num.of(n);
    } else if (v instanceof Double d) {
      return JsonValue.Num.of(d);
    }
    return new JsonValue.Null();
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

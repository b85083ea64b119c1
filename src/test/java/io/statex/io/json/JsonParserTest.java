package io.statex.io.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The JSON grammar, the strictness rules and the limits, each on texts written by hand. */
class JsonParserTest {
  private final JsonParser parser = new JsonParser();

  @Test
  void parsesEveryKindOfValueInOrder() throws JsonException {
    JsonValue v = parser.parse(" {\"b\": [1, -2.5e+3, true, false, null], \"a\": {\"x\": \"y\"}, \"\": []}\r\n\t");
    JsonValue.Obj o = (JsonValue.Obj) v;
    assertEquals(List.of("b", "a", ""), List.copyOf(o.members().keySet()));
    List<JsonValue> b = ((JsonValue.Arr) o.members().get("b")).items();
    assertEquals(List.of(new JsonValue.Num("1"), new JsonValue.Num("-2.5e+3"), new JsonValue.Bool(true), new JsonValue.Bool(false), new JsonValue.Null()), b);
    assertEquals(new JsonValue.Obj(Map.of("x", new JsonValue.Str("y"))), o.members().get("a"));
    assertEquals(new JsonValue.Num("0"), parser.parse("0"));
  }

  @Test
  void stringEscapesAndUnicode() throws JsonException {
    String text = "\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 \\uD83D\\uDE00 raw\u00e9\ud83d\ude00\"";
    assertEquals(new JsonValue.Str("q\" b\\ s/ \b\f\n\r\t \u00e9 \ud83d\ude00 raw\u00e9\ud83d\ude00"), parser.parse(text));
    assertEquals(new JsonValue.Str("\u00e9\ud83d\ude00"), parser.parse("\"\u00e9\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void exactLongOnlyForIntegerLiteralsThatFit() {
    assertEquals(OptionalLong.of(9223372036854775807L), new JsonValue.Num("9223372036854775807").exactLong());
    assertEquals(OptionalLong.of(-5), new JsonValue.Num("-5").exactLong());
    assertEquals(OptionalLong.empty(), new JsonValue.Num("9223372036854775808").exactLong());
    assertEquals(OptionalLong.empty(), new JsonValue.Num("1.0").exactLong());
    assertEquals(OptionalLong.empty(), new JsonValue.Num("1e2").exactLong());
  }

  @Test
  void rejectsWhatRfc8259Forbids() {
    rejects("", "unexpected end of text");
    rejects("{\"a\":1,}", "expected a string key");
    rejects("[1,]", "expected a value");
    rejects("[1 2]", "expected ',' or ']'");
    rejects("{\"a\" 1}", "expected ':'");
    rejects("{a:1}", "expected a string key");
    rejects("'a'", "expected a value");
    rejects("01", "after the JSON value");
    rejects("-", "a digit after '-'");
    rejects("1.", "a digit after '.'");
    rejects("1e", "a digit in its exponent");
    rejects(".5", "expected a value");
    rejects("+1", "expected a value");
    rejects("NaN", "expected a value");
    rejects("tru", "expected a value");
    rejects("\"abc", "unterminated string");
    rejects("\"a\nb\"", "raw control character U+000A");
    rejects("\"\\x\"", "invalid escape '\\x'");
    rejects("\"\\u12g4\"", "invalid hex digit");
    rejects("\"\\u12\" ", "invalid hex digit");
    rejects("\"\\u123", "truncated \\u escape");
    rejects("{} {}", "after the JSON value");
    rejects("\ufeff{}", "expected a value");
  }

  @Test
  void rejectsDuplicateKeysAndBadSurrogates() {
    rejects("{\"a\":1,\"b\":2,\"a\":3}", "duplicate key \"a\"");
    rejects("{\"\\u0061\":1,\"a\":2}", "duplicate key \"a\"");
    rejects("\"\\ud800\"", "not followed by a low surrogate");
    rejects("\"\\ud800\\u0041\"", "followed by \\u0041");
    rejects("\"\\udc00\"", "unpaired low surrogate");
    rejects("\"\ud800x\"", "unpaired surrogate U+D800");
    rejects("\"\udc00\"", "unpaired surrogate U+DC00");
  }

  @Test
  void rejectsMalformedUtf8() {
    byte[][] bad = {
      {'"', (byte) 0x80, '"'}, // stray continuation byte
      {'"', (byte) 0xc0, (byte) 0x80, '"'}, // overlong NUL
      {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'}, // an encoded surrogate
      {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // past U+10FFFF
      {'"', (byte) 0xe2, (byte) 0x82, '"'}, // truncated sequence
      {'"', (byte) 0xff, '"'},
    };
    for (byte[] b : bad) {
      JsonException e = assertThrows(JsonException.class, () -> parser.parse(b));
      assertTrue(e.getMessage().contains("not valid UTF-8") && e.getMessage().contains("at byte offset 1"), e.getMessage());
    }
  }

  @Test
  void limitsBoundDepthAndValueCount() throws JsonException {
    JsonParser small = new JsonParser(3, 10);
    small.parse("[[[1]]]");
    rejects(small, "[[[[1]]]]", "nesting deeper than 3 levels");
    rejects(small, "{\"a\":{\"b\":{\"c\":{}}}}", "nesting deeper than 3 levels");
    small.parse("[1,2,3,4,5,6,7,8,9]"); // 10 values: the array and nine numbers
    rejects(small, "[1,2,3,4,5,6,7,8,9,10]", "more than 10 values");
    rejects(parser, "[".repeat(100_000), "nesting deeper than 64 levels");
    assertThrows(IllegalArgumentException.class, () -> new JsonParser(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new JsonParser(1001, 1));
    assertThrows(IllegalArgumentException.class, () -> new JsonParser(8, 0));
  }

  @Test
  void writerQuotesLikeTheCommonWriters() {
    assertEquals("\"a\\\"b\\\\c\\n\\u0001\\u001f\u007f\u00e9\"", JsonWriter.quote("a\"b\\c\n\u0001\u001f\u007f\u00e9", false));
    assertEquals("\"\\u007f\\u00e9\\ud83d\\ude00/\"", JsonWriter.quote("\u007f\u00e9\ud83d\ude00/", true));
  }

  private void rejects(String text, String fragment) {
    rejects(parser, text, fragment);
  }

  private static void rejects(JsonParser p, String text, String fragment) {
    JsonException e = assertThrows(JsonException.class, () -> p.parse(text), text);
    assertTrue(e.getMessage().contains(fragment), "'" + text + "': " + e.getMessage());
  }
}

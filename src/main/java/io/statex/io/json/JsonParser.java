package io.statex.io.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259) for files that come from outside: safetensors headers, shard
 * indexes, Hugging Face configs. Strict means: UTF-8 only (malformed bytes, overlong forms and
 * encoded surrogates are errors), no duplicate object keys, no unpaired surrogate escapes, no raw
 * control characters in strings, nothing but whitespace after the value. Two limits bound what a
 * hostile text can make us build: the nesting depth (the parser recurses once per level) and the
 * number of values (each costs a few dozen bytes of heap, so the tree stays a small multiple of the
 * text's own size).
 */
public final class JsonParser {
  public static final int DEFAULT_MAX_DEPTH = 64;
  public static final int DEFAULT_MAX_VALUES = 4_000_000;
  private static final int MAX_DEPTH_ALLOWED = 1000;

  private final int maxDepth;
  private final int maxValues;

  /** A parser with {@link #DEFAULT_MAX_DEPTH} and {@link #DEFAULT_MAX_VALUES}. */
  public JsonParser() {
    this(DEFAULT_MAX_DEPTH, DEFAULT_MAX_VALUES);
  }

  /**
   * @param maxDepth deepest nesting of objects and arrays accepted (1 = a flat object), at most 1000
   * @param maxValues most values (of any kind, containers included) accepted in one text
   */
  public JsonParser(int maxDepth, int maxValues) {
    if (maxDepth < 1 || maxDepth > MAX_DEPTH_ALLOWED) {
      throw new IllegalArgumentException("maxDepth must be in [1, " + MAX_DEPTH_ALLOWED + "], got " + maxDepth);
    }
    if (maxValues < 1) {
      throw new IllegalArgumentException("maxValues must be >= 1, got " + maxValues);
    }
    this.maxDepth = maxDepth;
    this.maxValues = maxValues;
  }

  /** Parses UTF-8 bytes (no byte-order mark). */
  public JsonValue parse(byte[] utf8) throws JsonException {
    return parse(decodeUtf8(utf8));
  }

  public JsonValue parse(String text) throws JsonException {
    Cursor c = new Cursor(text);
    JsonValue v = c.value(0);
    c.skipWhitespace();
    if (c.pos < text.length()) {
      throw c.error("unexpected " + c.describeNext() + " after the JSON value");
    }
    return v;
  }

  /** Decodes strictly: malformed or truncated sequences, overlong forms and surrogates fail. */
  public static String decodeUtf8(byte[] bytes) throws JsonException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) {
      r = decoder.flush(out);
    }
    if (r.isError()) {
      throw new JsonException("the text is not valid UTF-8: " + r.length() + " bad byte(s) at byte offset " + in.position(), -1);
    }
    return out.flip().toString();
  }

  /** One parse: the text, the position, and the counts the limits apply to. */
  private final class Cursor {
    private final String s;
    private int pos;
    private int values;

    Cursor(String s) {
      this.s = s;
    }

    JsonValue value(int depth) throws JsonException {
      skipWhitespace();
      if (pos >= s.length()) {
        throw error("unexpected end of text, expected a value");
      }
      if (++values > maxValues) {
        throw error("more than " + maxValues + " values");
      }
      char ch = s.charAt(pos);
      switch (ch) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return new JsonValue.Str(string());
        case 't':
          literal("true");
          return new JsonValue.Bool(true);
        case 'f':
          literal("false");
          return new JsonValue.Bool(false);
        case 'n':
          literal("null");
          return new JsonValue.Null();
        default:
          if (ch == '-' || (ch >= '0' && ch <= '9')) {
            return number();
          }
          throw error("unexpected " + describeNext() + ", expected a value");
      }
    }

    private JsonValue object(int depth) throws JsonException {
      checkDepth(depth);
      pos++; // '{'
      Map<String, JsonValue> members = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        pos++;
        return new JsonValue.Obj(Collections.unmodifiableMap(members));
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw error("unexpected " + describeNext() + ", expected a string key");
        }
        int keyAt = pos;
        String key = string();
        if (members.containsKey(key)) {
          throw new JsonException("duplicate key " + JsonWriter.quote(abbreviate(key), true), keyAt);
        }
        skipWhitespace();
        expect(':');
        members.put(key, value(depth));
        skipWhitespace();
        if (peek() == ',') {
          pos++;
        } else if (peek() == '}') {
          pos++;
          return new JsonValue.Obj(Collections.unmodifiableMap(members));
        } else {
          throw error("unexpected " + describeNext() + ", expected ',' or '}'");
        }
      }
    }

    private JsonValue array(int depth) throws JsonException {
      checkDepth(depth);
      pos++; // '['
      List<JsonValue> items = new ArrayList<>();
      skipWhitespace();
      if (peek() == ']') {
        pos++;
        return new JsonValue.Arr(Collections.unmodifiableList(items));
      }
      while (true) {
        items.add(value(depth));
        skipWhitespace();
        if (peek() == ',') {
          pos++;
        } else if (peek() == ']') {
          pos++;
          return new JsonValue.Arr(Collections.unmodifiableList(items));
        } else {
          throw error("unexpected " + describeNext() + ", expected ',' or ']'");
        }
      }
    }

    private String string() throws JsonException {
      pos++; // opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        int runStart = pos;
        while (pos < s.length() && isPlain(s.charAt(pos))) {
          pos++;
        }
        sb.append(s, runStart, pos);
        if (pos >= s.length()) {
          throw error("unterminated string");
        }
        char ch = s.charAt(pos);
        if (ch == '"') {
          pos++;
          return sb.toString();
        } else if (ch == '\\') {
          escape(sb);
        } else if (ch < 0x20) {
          throw error("raw control character U+" + String.format("%04X", (int) ch) + " in a string");
        } else {
          surrogatePair(sb);
        }
      }
    }

    /** Characters copied as they are: everything but quote, backslash, controls and surrogates. */
    private boolean isPlain(char ch) {
      return ch >= 0x20 && ch != '"' && ch != '\\' && !Character.isSurrogate(ch);
    }

    /** A raw surrogate must be a high one followed by a low one (only possible from parse(String)). */
    private void surrogatePair(StringBuilder sb) throws JsonException {
      char hi = s.charAt(pos);
      if (Character.isHighSurrogate(hi) && pos + 1 < s.length() && Character.isLowSurrogate(s.charAt(pos + 1))) {
        sb.append(hi).append(s.charAt(pos + 1));
        pos += 2;
        return;
      }
      throw error("unpaired surrogate U+" + String.format("%04X", (int) hi) + " in a string");
    }

    private void escape(StringBuilder sb) throws JsonException {
      int at = pos;
      pos++; // backslash
      if (pos >= s.length()) {
        throw error("unterminated escape");
      }
      char e = s.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          sb.append(e);
          return;
        case 'b':
          sb.append('\b');
          return;
        case 'f':
          sb.append('\f');
          return;
        case 'n':
          sb.append('\n');
          return;
        case 'r':
          sb.append('\r');
          return;
        case 't':
          sb.append('\t');
          return;
        case 'u':
          unicodeEscape(sb, at);
          return;
        default:
          throw new JsonException("invalid escape '\\" + printable(e) + "'", at);
      }
    }

    private void unicodeEscape(StringBuilder sb, int at) throws JsonException {
      char c = (char) hex4();
      if (Character.isLowSurrogate(c)) {
        throw new JsonException("unpaired low surrogate \\u" + String.format("%04x", (int) c), at);
      }
      if (Character.isHighSurrogate(c)) {
        if (!s.startsWith("\\u", pos)) {
          throw new JsonException("high surrogate \\u" + String.format("%04x", (int) c) + " not followed by a low surrogate escape", at);
        }
        pos += 2;
        char low = (char) hex4();
        if (!Character.isLowSurrogate(low)) {
          throw new JsonException("high surrogate \\u" + String.format("%04x", (int) c) + " followed by \\u" + String.format("%04x", (int) low), at);
        }
        sb.append(c).append(low);
        return;
      }
      sb.append(c);
    }

    private int hex4() throws JsonException {
      if (pos + 4 > s.length()) {
        throw error("truncated \\u escape");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int d = hexDigit(s.charAt(pos));
        if (d < 0) {
          throw error("invalid hex digit in \\u escape");
        }
        v = v * 16 + d;
        pos++;
      }
      return v;
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    private JsonValue number() throws JsonException {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      if (peek() == '0') {
        pos++;
      } else if (isDigit(peek())) {
        digits();
      } else {
        throw error("a number needs a digit after '-'");
      }
      if (peek() == '.') {
        pos++;
        if (!isDigit(peek())) {
          throw error("a number needs a digit after '.'");
        }
        digits();
      }
      if (peek() == 'e' || peek() == 'E') {
        pos++;
        if (peek() == '+' || peek() == '-') {
          pos++;
        }
        if (!isDigit(peek())) {
          throw error("a number needs a digit in its exponent");
        }
        digits();
      }
      return new JsonValue.Num(s.substring(start, pos));
    }

    private void digits() {
      while (isDigit(peek())) {
        pos++;
      }
    }

    private boolean isDigit(int ch) {
      return ch >= '0' && ch <= '9';
    }

    private void literal(String word) throws JsonException {
      if (!s.startsWith(word, pos)) {
        throw error("unexpected " + describeNext() + ", expected a value");
      }
      pos += word.length();
    }

    private void checkDepth(int depth) throws JsonException {
      if (depth > maxDepth) {
        throw error("nesting deeper than " + maxDepth + " levels");
      }
    }

    private void expect(char ch) throws JsonException {
      if (peek() != ch) {
        throw error("unexpected " + describeNext() + ", expected '" + ch + "'");
      }
      pos++;
    }

    /** The next character, or -1 at the end. */
    private int peek() {
      return pos < s.length() ? s.charAt(pos) : -1;
    }

    void skipWhitespace() {
      while (pos < s.length()) {
        char ch = s.charAt(pos);
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
          return;
        }
        pos++;
      }
    }

    String describeNext() {
      return pos >= s.length() ? "end of text" : "character '" + printable(s.charAt(pos)) + "'";
    }

    JsonException error(String message) {
      return new JsonException(message, pos);
    }
  }

  private static int hexDigit(char ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return -1;
  }

  private static String printable(char ch) {
    return ch >= 0x20 && ch < 0x7f ? String.valueOf(ch) : String.format("U+%04X", (int) ch);
  }

  /** Keys in error messages are cut short: a hostile key may be megabytes long. */
  static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }
}

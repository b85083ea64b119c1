package io.statex.io.json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader for files from outside: configuration and tokenizer files, file
 * headers. It accepts exactly the grammar and nothing else (no comments, trailing commas, NaN,
 * single quotes, leading zeros or unescaped control characters), rejects duplicate object keys and
 * unpaired surrogate escapes, and bounds the input size and the nesting depth before it builds
 * anything, so a hostile document gives a {@link JsonException} rather than a stack overflow or an
 * out-of-memory error.
 *
 * <p>Values come back as plain Java objects: objects as insertion-ordered {@code Map<String,
 * Object>}, arrays as {@code List<Object>} (both unmodifiable), strings, {@code Long} for integers
 * that fit, {@code Double} for other numbers, {@code Boolean}, and {@code null}. {@link JsonObject}
 * reads them with type checks whose messages name the field.
 */
public final class Json {
  /** Bounds on a document: its length in chars (or bytes, when read as bytes) and its nesting. */
  public record Limits(long maxLength, int maxDepth) {
    public Limits {
      if (maxLength < 0 || maxDepth < 1 || maxDepth > MAX_DEPTH) {
        throw new IllegalArgumentException(
            "limits: expected maxLength >= 0 and 1 <= maxDepth <= "
                + MAX_DEPTH
                + ", got "
                + maxLength
                + ", "
                + maxDepth);
      }
    }
  }

  /** 64 MiB and 64 levels: enough for model and tokenizer files, small enough to refuse junk. */
  public static final Limits DEFAULT_LIMITS = new Limits(64L << 20, 64);

  /** The parser recurses once per level; this keeps the deepest document far from the stack limit. */
  public static final int MAX_DEPTH = 512;

  private static final int MAX_NUMBER_CHARS = 512;

  private final String text;
  private final int maxDepth;
  private int pos;

  private Json(String text, int maxDepth) {
    this.text = text;
    this.maxDepth = maxDepth;
  }

  /** Parses one JSON value (any type) filling the whole text, under {@link #DEFAULT_LIMITS}. */
  public static Object parse(String text) throws JsonException {
    return parse(text, DEFAULT_LIMITS);
  }

  public static Object parse(String text, Limits limits) throws JsonException {
    if (text.length() > limits.maxLength()) {
      throw new JsonException(
          "JSON text too long: at most " + limits.maxLength() + " chars, got " + text.length());
    }
    Json parser = new Json(text, limits.maxDepth());
    parser.skipWhitespace();
    Object value = parser.value(1);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected " + parser.describeNext() + " after the top-level value");
    }
    return value;
  }

  /** Parses a document that must be an object; {@code what} names it in error messages. */
  public static JsonObject parseObject(String text, String what) throws JsonException {
    return JsonObject.of(parse(text), what);
  }

  /**
   * Decodes strict UTF-8 (no byte order mark, no malformed sequences) from at most {@code maxBytes}
   * bytes of {@code in}; a longer stream is refused without reading past the limit.
   */
  public static String readUtf8(InputStream in, long maxBytes, String what) throws IOException {
    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    if (bytes.length > maxBytes) {
      throw new JsonException(what + ": too large, at most " + maxBytes + " bytes");
    }
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      throw new JsonException(what + ": starts with a byte order mark, which JSON does not allow");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new JsonException(what + ": not valid UTF-8 (" + e.getMessage() + ")");
    }
  }

  private Object value(int depth) throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + describeNext() + ", expected a value");
    }
  }

  private Map<String, Object> object(int depth) throws JsonException {
    enter(depth);
    pos++; // '{'
    Map<String, Object> fields = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Collections.unmodifiableMap(fields);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeNext() + ", expected a string key");
      }
      int keyStart = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object value = value(depth + 1);
      if (fields.containsKey(key)) {
        pos = keyStart;
        throw error("duplicate key " + quote(key));
      }
      fields.put(key, value);
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(fields);
      }
      if (c != ',') {
        pos--;
        throw error("unexpected " + describeNext() + ", expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) throws JsonException {
    enter(depth);
    pos++; // '['
    List<Object> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return Collections.unmodifiableList(items);
    }
    while (true) {
      skipWhitespace();
      items.add(value(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(items);
      }
      if (c != ',') {
        pos--;
        throw error("unexpected " + describeNext() + ", expected ',' or ']'");
      }
    }
  }

  private void enter(int depth) throws JsonException {
    if (depth > maxDepth) {
      throw error("nesting deeper than " + maxDepth + " levels");
    }
  }

  private String string() throws JsonException {
    int start = ++pos; // after the opening quote
    StringBuilder sb = null;
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string starting at offset " + (start - 1));
      }
      char c = text.charAt(pos);
      if (c == '"') {
        String s = sb == null ? text.substring(start, pos) : sb.toString();
        pos++;
        return s;
      }
      if (c < 0x20) {
        throw error(String.format("unescaped control character U+%04X in a string", (int) c));
      }
      if (c == '\\') {
        if (sb == null) {
          sb = new StringBuilder(text.substring(start, pos));
        }
        escape(sb);
      } else {
        if (sb != null) {
          sb.append(c);
        }
        pos++;
      }
    }
  }

  private void escape(StringBuilder sb) throws JsonException {
    pos++; // '\'
    if (pos >= text.length()) {
      throw error("unterminated escape");
    }
    char e = text.charAt(pos++);
    switch (e) {
      case '"' -> sb.append('"');
      case '\\' -> sb.append('\\');
      case '/' -> sb.append('/');
      case 'b' -> sb.append('\b');
      case 'f' -> sb.append('\f');
      case 'n' -> sb.append('\n');
      case 'r' -> sb.append('\r');
      case 't' -> sb.append('\t');
      case 'u' -> unicodeEscape(sb);
      default -> {
        pos--;
        throw error("invalid escape '\\" + e + "'");
      }
    }
  }

  private void unicodeEscape(StringBuilder sb) throws JsonException {
    char c = (char) hex4();
    if (Character.isHighSurrogate(c)) {
      if (pos + 6 <= text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
        pos += 2;
        char low = (char) hex4();
        if (Character.isLowSurrogate(low)) {
          sb.append(c).append(low);
          return;
        }
      }
      throw error(String.format("unpaired surrogate escape \\u%04X", (int) c));
    }
    if (Character.isLowSurrogate(c)) {
      throw error(String.format("unpaired surrogate escape \\u%04X", (int) c));
    }
    sb.append(c);
  }

  private int hex4() throws JsonException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos), 16);
      if (d < 0 || text.charAt(pos) > 'f') {
        throw error("invalid hex digit in \\u escape: " + describeNext());
      }
      v = v * 16 + d;
      pos++;
    }
    return v;
  }

  private Object number() throws JsonException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
      if (isDigit(peek())) {
        throw error("leading zero in a number");
      }
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("unexpected " + describeNext() + " in a number");
    }
    boolean integral = true;
    if (peek() == '.') {
      pos++;
      requireDigit("after the decimal point");
      digits();
      integral = false;
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      requireDigit("in the exponent");
      digits();
      integral = false;
    }
    if (pos - start > MAX_NUMBER_CHARS) {
      pos = start;
      throw error("number longer than " + MAX_NUMBER_CHARS + " chars");
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException tooLarge) {
        // falls through to a double, like JavaScript and Python's float()
      }
    }
    double d = Double.parseDouble(literal);
    if (Double.isInfinite(d)) {
      pos = start;
      throw error("number out of the double range: " + literal);
    }
    return d;
  }

  private void requireDigit(String where) throws JsonException {
    if (!isDigit(peek())) {
      throw error("expected a digit " + where + ", got " + describeNext());
    }
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private Object literal(String word, Object value) throws JsonException {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected " + describeNext() + ", expected a value");
    }
    pos += word.length();
    return value;
  }

  private void expect(char c) throws JsonException {
    if (peek() != c) {
      throw error("unexpected " + describeNext() + ", expected '" + c + "'");
    }
    pos++;
  }

  /** The next char, or U+0000 at the end (never valid where a token is expected). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private String describeNext() {
    if (pos >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(pos);
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  private JsonException error(String message) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(pos, text.length());
    for (int i = 0; i < end; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new JsonException(
        "JSON syntax error at line " + line + ", column " + (end - lineStart + 1) + ": " + message);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    int shown = Math.min(s.length(), 80);
    for (int i = 0; i < shown; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append(shown < s.length() ? "...\"" : "\"").toString();
  }
}

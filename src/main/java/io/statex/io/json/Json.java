package io.statex.io.json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict JSON (RFC 8259) reader for files from outside: safetensors headers and shard indexes,
 * model configs, tokenizer files. It accepts exactly the grammar and nothing else (no comments,
 * trailing commas, single quotes, leading zeros, unescaped control characters or byte order mark),
 * rejects duplicate object keys and unpaired surrogates, decodes bytes as strict UTF-8 (malformed
 * bytes, overlong forms and encoded surrogates fail), and bounds the text's length, its nesting depth
 * and its number of values ({@link Limits}) before it builds anything, so a hostile document gives a
 * {@link JsonException} rather than a stack overflow or an out-of-memory error.
 *
 * <p>{@link Syntax#PYTHON} also accepts {@code NaN}, {@code Infinity} and {@code -Infinity} as
 * numbers, as Python's {@code json} module writes them: Hugging Face configs hold such values (Mamba2's
 * {@code time_step_limit: [0.0, Infinity]}).
 *
 * <p>Values come back as {@link JsonValue}s; {@link JsonObject} reads them with type checks whose
 * messages name the field.
 */
public final class Json {
  /**
   * Bounds on a document: its length in chars (or bytes, when read as bytes), its nesting depth
   * (1 = a flat object or array) and its number of values of any kind, containers included (each
   * costs a few dozen bytes of heap, so the tree stays a small multiple of the text's size).
   */
  public record Limits(long maxLength, int maxDepth, int maxValues) {
    public Limits {
      if (maxLength < 0 || maxDepth < 1 || maxDepth > MAX_DEPTH || maxValues < 1) {
        throw new IllegalArgumentException("limits: expected maxLength >= 0, 1 <= maxDepth <= " + MAX_DEPTH
            + " and maxValues >= 1, got " + maxLength + ", " + maxDepth + ", " + maxValues);
      }
    }

    public Limits withMaxLength(long n) {
      return new Limits(n, maxDepth, maxValues);
    }

    public Limits withMaxDepth(int n) {
      return new Limits(maxLength, n, maxValues);
    }
  }

  /** What a parse accepts: the RFC grammar, or that plus Python's non-finite number literals. */
  public enum Syntax {
    STRICT,
    PYTHON
  }

  /** 64 MiB, 64 levels, 4 million values: enough for model and tokenizer files, small enough to refuse junk. */
  public static final Limits DEFAULT_LIMITS = new Limits(64L << 20, 64, 4_000_000);

  /** The parser recurses once per level; this keeps the deepest document far from the stack limit. */
  public static final int MAX_DEPTH = 512;

  private static final int MAX_NUMBER_CHARS = 512;

  private final String text;
  private final Limits limits;
  private final Syntax syntax;
  private int pos;
  private int values;

  private Json(String text, Limits limits, Syntax syntax) {
    this.text = text;
    this.limits = limits;
    this.syntax = syntax;
  }

  /** Parses one JSON value (any type) filling the whole text, under {@link #DEFAULT_LIMITS}. */
  public static JsonValue parse(String text) throws JsonException {
    return parse(text, DEFAULT_LIMITS, Syntax.STRICT);
  }

  public static JsonValue parse(String text, Limits limits) throws JsonException {
    return parse(text, limits, Syntax.STRICT);
  }

  public static JsonValue parse(String text, Limits limits, Syntax syntax) throws JsonException {
    if (text.length() > limits.maxLength()) {
      throw new JsonException("JSON text too long: at most " + limits.maxLength() + " chars, got " + text.length());
    }
    Json parser = new Json(text, limits, syntax);
    parser.skipWhitespace();
    JsonValue value = parser.value(1);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected " + parser.describeNext() + " after the top-level value");
    }
    return value;
  }

  /** Parses strict UTF-8 bytes (no byte order mark); {@code what} names the document in errors. */
  public static JsonValue parse(byte[] utf8, Limits limits, Syntax syntax, String what) throws JsonException {
    if (utf8.length > limits.maxLength()) {
      throw new JsonException(what + ": too large, at most " + limits.maxLength() + " bytes, got " + utf8.length);
    }
    return parse(decodeUtf8(utf8, what), limits, syntax);
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
    return decodeUtf8(bytes, what);
  }

  /** Strict UTF-8: malformed or truncated sequences, overlong forms, surrogates and a BOM fail. */
  public static String decodeUtf8(byte[] bytes, String what) throws JsonException {
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
      throw new JsonException(what + ": starts with a byte order mark, which JSON does not allow");
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new JsonException(what + ": not valid UTF-8 (" + e.getMessage() + ")");
    }
  }

  private JsonValue value(int depth) throws JsonException {
    if (pos >= text.length()) {
      throw error("unexpected end of input, expected a value");
    }
    if (++values > limits.maxValues()) {
      throw error("more than " + limits.maxValues() + " values");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return new JsonValue.Str(string());
      case 't':
        return literal("true", new JsonValue.Bool(true));
      case 'f':
        return literal("false", new JsonValue.Bool(false));
      case 'n':
        return literal("null", new JsonValue.Null());
      default:
        if (syntax == Syntax.PYTHON && (c == 'N' || c == 'I' || text.startsWith("-I", pos))) {
          return nonFinite();
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected " + describeNext() + ", expected a value");
    }
  }

  private JsonValue object(int depth) throws JsonException {
    enter(depth);
    pos++; // '{'
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return new JsonValue.Obj(fields);
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("unexpected " + describeNext() + ", expected a string key");
      }
      int keyStart = pos;
      String key = string();
      if (fields.containsKey(key)) {
        pos = keyStart;
        throw error("duplicate key " + quote(key));
      }
      skipWhitespace();
      expect(':');
      skipWhitespace();
      fields.put(key, value(depth + 1));
      skipWhitespace();
      char c = peek();
      if (c == '}') {
        pos++;
        return new JsonValue.Obj(fields);
      }
      if (c != ',') {
        throw error("unexpected " + describeNext() + ", expected ',' or '}'");
      }
      pos++;
    }
  }

  private JsonValue array(int depth) throws JsonException {
    enter(depth);
    pos++; // '['
    List<JsonValue> items = new ArrayList<>();
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return new JsonValue.Arr(items);
    }
    while (true) {
      skipWhitespace();
      items.add(value(depth + 1));
      skipWhitespace();
      char c = peek();
      if (c == ']') {
        pos++;
        return new JsonValue.Arr(items);
      }
      if (c != ',') {
        throw error("unexpected " + describeNext() + ", expected ',' or ']'");
      }
      pos++;
    }
  }

  private void enter(int depth) throws JsonException {
    if (depth > limits.maxDepth()) {
      throw error("nesting deeper than " + limits.maxDepth() + " levels");
    }
  }

  private String string() throws JsonException {
    int start = pos++; // the opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      int run = pos;
      while (pos < text.length() && isPlain(text.charAt(pos))) {
        pos++;
      }
      sb.append(text, run, pos);
      if (pos >= text.length()) {
        throw error("unterminated string starting at offset " + start);
      }
      char c = text.charAt(pos);
      if (c == '"') {
        pos++;
        return sb.toString();
      } else if (c == '\\') {
        escape(sb);
      } else if (c < 0x20) {
        throw error(String.format("unescaped control character U+%04X in a string", (int) c));
      } else {
        surrogatePair(sb);
      }
    }
  }

  /** Characters copied as they are: everything but quote, backslash, controls and surrogates. */
  private static boolean isPlain(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
  }

  /** A raw surrogate (only possible from a String) must be a high one followed by a low one. */
  private void surrogatePair(StringBuilder sb) throws JsonException {
    char hi = text.charAt(pos);
    if (Character.isHighSurrogate(hi) && pos + 1 < text.length() && Character.isLowSurrogate(text.charAt(pos + 1))) {
      sb.append(hi).append(text.charAt(pos + 1));
      pos += 2;
      return;
    }
    throw error(String.format("unpaired surrogate U+%04X in a string", (int) hi));
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
        throw error("invalid escape '\\" + printable(e) + "'");
      }
    }
  }

  private void unicodeEscape(StringBuilder sb) throws JsonException {
    char c = (char) hex4();
    if (Character.isHighSurrogate(c)) {
      if (text.startsWith("\\u", pos)) {
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
      int d = hexDigit(text.charAt(pos));
      if (d < 0) {
        throw error("invalid hex digit in \\u escape: " + describeNext());
      }
      v = v * 16 + d;
      pos++;
    }
    return v;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    } else if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, at most 512 chars, finite as a double. */
  private JsonValue number() throws JsonException {
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
    JsonValue.Num n = new JsonValue.Num(text.substring(start, pos));
    if (!(integral && n.exactLong().isPresent()) && Double.isInfinite(n.toDouble())) {
      pos = start;
      throw error("number out of the double range: " + n.text());
    }
    return n;
  }

  private JsonValue nonFinite() throws JsonException {
    for (String word : new String[] {"NaN", "Infinity", "-Infinity"}) {
      if (text.startsWith(word, pos)) {
        pos += word.length();
        return new JsonValue.Num(word);
      }
    }
    throw error("unexpected " + describeNext() + ", expected a value");
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

  private JsonValue literal(String word, JsonValue value) throws JsonException {
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
    return pos >= text.length() ? "end of input" : "'" + printable(text.charAt(pos)) + "'";
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("U+%04X", (int) c);
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
    return new JsonException("JSON syntax error at line " + line + ", column " + (end - lineStart + 1) + ": " + message, end);
  }

  /** A string from a document for a message: JSON-quoted, control characters escaped, cut at 80 chars. */
  static String quote(String s) {
    return JsonWriter.quote(s.length() <= 80 ? s : s.substring(0, 80) + "...", true);
  }
}

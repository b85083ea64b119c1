package io.statex.io.json;

/**
 * JSON string literals as the common writers produce them: quote, backslash and the control
 * characters escaped (the short forms {@code \b \f \n \r \t}, else {@code \}{@code u00xx} in lower
 * case), everything else as it is, or, with {@code asciiOnly}, every non-ASCII UTF-16 unit as a
 * lower-case {@code \}{@code uxxxx} escape (Python's {@code json.dumps} default).
 */
public final class JsonWriter {
  private JsonWriter() {}

  public static String quote(String s, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (ch < 0x20 || (asciiOnly && ch > 0x7e)) {
            sb.append(String.format("\\u%04x", (int) ch));
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}

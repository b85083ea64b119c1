package io.statex.io.json;

import java.util.Iterator;

/**
 * JSON text as the common writers produce it. Strings: quote, backslash and the control characters
 * escaped (the short forms {@code \b \f \n \r \t}, else {@code \}{@code u00xx} in lower case),
 * everything else as it is, or, with {@code asciiOnly}, every non-ASCII UTF-16 unit as a lower-case
 * {@code \}{@code uxxxx} escape (Python's {@code json.dumps} default). Documents: compact, or indented
 * by two spaces per level as Hugging Face writes {@code config.json}; numbers as their literal text.
 */
public final class JsonWriter {
  private JsonWriter() {}

  public static String quote(String s, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    quote(s, asciiOnly, sb);
    return sb.toString();
  }

  /** One line, {@code ", "} and {@code ": "} between items (the form of Python's default dumps). */
  public static String compact(JsonValue v) {
    StringBuilder sb = new StringBuilder();
    write(v, -1, 0, sb);
    return sb.toString();
  }

  /** Two-space indentation, one member or item per line, a final newline. */
  public static String pretty(JsonValue v) {
    StringBuilder sb = new StringBuilder();
    write(v, 2, 0, sb);
    return sb.append('\n').toString();
  }

  private static void write(JsonValue v, int indent, int level, StringBuilder sb) {
    if (v instanceof JsonValue.Obj o) {
      container(o.members().entrySet(), '{', '}', indent, level, sb, (e, out) -> {
        quote(e.getKey(), false, out);
        out.append(": ");
        write(e.getValue(), indent, level + 1, out);
      });
    } else if (v instanceof JsonValue.Arr a) {
      container(a.items(), '[', ']', indent, level, sb, (item, out) -> write(item, indent, level + 1, out));
    } else if (v instanceof JsonValue.Str s) {
      quote(s.value(), false, sb);
    } else if (v instanceof JsonValue.Num n) {
      sb.append(n.text());
    } else if (v instanceof JsonValue.Bool b) {
      sb.append(b.value());
    } else {
      sb.append("null");
    }
  }

  private interface Item<T> {
    void write(T item, StringBuilder sb);
  }

  private static <T> void container(Iterable<T> items, char open, char close, int indent, int level, StringBuilder sb,
      Item<T> item) {
    sb.append(open);
    Iterator<T> it = items.iterator();
    if (!it.hasNext()) {
      sb.append(close);
      return;
    }
    boolean arrayOfScalars = open == '[' && isFlat(items);
    while (it.hasNext()) {
      if (indent >= 0 && !arrayOfScalars) {
        sb.append('\n').append(" ".repeat(indent * (level + 1)));
      }
      item.write(it.next(), sb);
      if (it.hasNext()) {
        sb.append(arrayOfScalars || indent < 0 ? ", " : ",");
      }
    }
    if (indent >= 0 && !arrayOfScalars) {
      sb.append('\n').append(" ".repeat(indent * level));
    }
    sb.append(close);
  }

  /** Short arrays of numbers stay on one line in indented output (shapes, ranges), for reading. */
  private static boolean isFlat(Iterable<?> items) {
    int n = 0;
    for (Object o : items) {
      if (!(o instanceof JsonValue.Num) || ++n > 8) {
        return false;
      }
    }
    return true;
  }

  private static void quote(String s, boolean asciiOnly, StringBuilder sb) {
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
    sb.append('"');
  }
}

package io.statex.io.tokenizer;

import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.PatternSyntaxException;

/** Reading helpers shared by the pipeline components' {@code fromJson} methods. */
final class Components {
  /** Regexes come from the file: long ones are refused rather than compiled. */
  static final int MAX_PATTERN_CHARS = 2000;

  private Components() {}

  /** The array field {@code key}, each element an object. */
  static List<JsonObject> objects(JsonObject json, String key) throws JsonException {
    List<JsonValue> items = json.array(key);
    List<JsonObject> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(JsonObject.of(items.get(i), JsonObject.elementPath(json.pathOf(key), i)));
    }
    return out;
  }

  static TokenizerFormatException unsupported(JsonObject json, String kind, String type) {
    return new TokenizerFormatException(
        json.pathOf("type") + ": unsupported " + kind + " type \"" + type + "\"");
  }

  /** Reads {@code json.pattern}: {@code {"String": s}} (literal) or {@code {"Regex": r}}. */
  static Pattern pattern(JsonObject json) throws JsonException, TokenizerFormatException {
    JsonObject p = json.object("pattern");
    if (p.size() != 1 || !(p.has("String") || p.has("Regex"))) {
      throw new TokenizerFormatException(
          p.path() + ": expected exactly one of \"String\" or \"Regex\", got keys " + p.keys());
    }
    if (p.has("String")) {
      String literal = p.string("String");
      if (literal.isEmpty()) {
        throw new TokenizerFormatException(p.pathOf("String") + ": expected a non-empty string");
      }
      return new Pattern(literal, null);
    }
    String regex = p.string("Regex");
    if (regex.length() > MAX_PATTERN_CHARS) {
      throw new TokenizerFormatException(
          p.pathOf("Regex")
              + ": expected at most "
              + MAX_PATTERN_CHARS
              + " chars, got "
              + regex.length());
    }
    try {
      return new Pattern(
          null, java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.UNICODE_CHARACTER_CLASS));
    } catch (PatternSyntaxException e) {
      throw new TokenizerFormatException(p.pathOf("Regex") + ": invalid regex: " + e.getDescription());
    }
  }

  /** A literal string or a regex, as the file's {@code pattern} fields give them. */
  record Pattern(String literal, java.util.regex.Pattern regex) {
    /** The [start, end) spans of the non-overlapping non-empty matches, left to right. */
    List<int[]> spans(String text) {
      List<int[]> spans = new ArrayList<>();
      if (literal != null) {
        for (int at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + literal.length())) {
          spans.add(new int[] {at, at + literal.length()});
        }
        return spans;
      }
      Matcher m = regex.matcher(text);
      while (m.find()) {
        if (m.end() > m.start()) {
          spans.add(new int[] {m.start(), m.end()});
        }
      }
      return spans;
    }

    String replaceAll(String text, String content) {
      if (literal != null) {
        return text.replace(literal, content);
      }
      return regex.matcher(text).replaceAll(Matcher.quoteReplacement(content));
    }
  }
}

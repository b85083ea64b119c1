package io.statex.io.tokenizer;

import io.statex.io.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * The second stage of encoding: cuts normalized text into the pieces BPE merges within (merges
 * never cross a piece boundary). GPT-NeoX's ByteLevel cuts with the GPT-2 regex and rewrites bytes
 * into the byte-level alphabet; LLaMA's newer files use Metaspace ("▁" for spaces, one piece).
 */
sealed interface PreTokenizer {
  /**
   * Appends the pieces of {@code text} to {@code out}.
   *
   * @param atStart whether {@code text} begins at offset 0 of the encoded string (Metaspace's
   *     "first" prepend scheme adds "▁" only there)
   */
  void split(String text, boolean atStart, List<String> out);

  /** Reads the {@code pre_tokenizer} field's value (not null). */
  static PreTokenizer fromJson(JsonObject json) throws IOException {
    String type = json.string("type");
    switch (type) {
      case "Sequence":
        List<PreTokenizer> steps = new ArrayList<>();
        for (JsonObject step : Components.objects(json, "pretokenizers")) {
          steps.add(fromJson(step));
        }
        return new Sequence(List.copyOf(steps));
      case "ByteLevel":
        return new ByteLevelSplit(json.bool("add_prefix_space", true), json.bool("use_regex", true));
      case "Metaspace":
        return Metaspace.fromJson(json);
      case "Split":
        return new Split(
            Components.pattern(json), Behavior.fromJson(json), json.bool("invert", false));
      default:
        throw Components.unsupported(json, "pre_tokenizer", type);
    }
  }

  record Sequence(List<PreTokenizer> steps) implements PreTokenizer {
    @Override
    public void split(String text, boolean atStart, List<String> out) {
      List<String> pieces = List.of(text);
      for (PreTokenizer step : steps) {
        List<String> next = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
          step.split(pieces.get(i), atStart && i == 0, next);
        }
        pieces = next;
      }
      out.addAll(pieces);
    }
  }

  /** GPT-2's byte-level step: optional leading space, the GPT-2 split, bytes to the alphabet. */
  record ByteLevelSplit(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {
    @Override
    public void split(String text, boolean atStart, List<String> out) {
      if (addPrefixSpace && !text.startsWith(" ")) {
        text = " " + text;
      }
      if (!useRegex) {
        out.add(ByteLevel.encode(text));
        return;
      }
      Matcher m = ByteLevel.GPT2_SPLIT.matcher(text);
      while (m.find()) {
        out.add(ByteLevel.encode(m.group()));
      }
    }
  }

  /** Spaces become the replacement ("▁"), which is also prepended per the scheme. */
  record Metaspace(char replacement, Prepend scheme, boolean splitWords) implements PreTokenizer {
    enum Prepend {
      ALWAYS,
      FIRST,
      NEVER
    }

    static Metaspace fromJson(JsonObject json) throws IOException {
      String replacement = json.string("replacement");
      if (replacement.length() != 1) {
        throw new TokenizerFormatException(
            json.pathOf("replacement") + ": expected one character, got \"" + replacement + "\"");
      }
      return new Metaspace(replacement.charAt(0), prependScheme(json), json.bool("split", true));
    }

    /** Files written before prepend_scheme existed say add_prefix_space (true: always). */
    static Prepend prependScheme(JsonObject json) throws IOException {
      String scheme = json.string("prepend_scheme", null);
      if (scheme == null) {
        return json.bool("add_prefix_space", true) ? Prepend.ALWAYS : Prepend.NEVER;
      }
      try {
        return Prepend.valueOf(scheme.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TokenizerFormatException(
            json.pathOf("prepend_scheme")
                + ": expected \"always\", \"first\" or \"never\", got \""
                + scheme
                + "\"");
      }
    }

    @Override
    public void split(String text, boolean atStart, List<String> out) {
      String s = text.replace(' ', replacement);
      boolean prepend = scheme == Prepend.ALWAYS || (scheme == Prepend.FIRST && atStart);
      if (prepend && (s.isEmpty() || s.charAt(0) != replacement)) {
        s = replacement + s;
      }
      if (!splitWords) {
        out.add(s);
        return;
      }
      // Each run of replacements joins the word after it ("▁Hey▁▁▁friend" -> "▁Hey", "▁▁▁friend").
      int start = 0;
      for (int i = 1; i < s.length(); i++) {
        if (s.charAt(i) == replacement && s.charAt(i - 1) != replacement) {
          out.add(s.substring(start, i));
          start = i;
        }
      }
      out.add(s.substring(start));
    }
  }

  /** What Split does with the text its pattern matches (the "delimiters"). */
  enum Behavior {
    REMOVED,
    ISOLATED,
    MERGED_WITH_PREVIOUS,
    MERGED_WITH_NEXT,
    CONTIGUOUS;

    static Behavior fromJson(JsonObject json) throws IOException {
      String name = json.string("behavior");
      for (Behavior b : values()) {
        if (b.name().replace("_", "").equalsIgnoreCase(name)) {
          return b;
        }
      }
      throw new TokenizerFormatException(
          json.pathOf("behavior")
              + ": expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous,"
              + " got \""
              + name
              + "\"");
    }
  }

  /** Cuts at the pattern's matches (or, inverted, at the text between them). */
  record Split(Components.Pattern pattern, Behavior behavior, boolean invert)
      implements PreTokenizer {
    @Override
    public void split(String text, boolean atStart, List<String> out) {
      List<int[]> segments = new ArrayList<>(); // {start, end, isDelimiter}
      int prev = 0;
      for (int[] m : pattern.spans(text)) {
        if (m[0] > prev) {
          segments.add(new int[] {prev, m[0], invert ? 1 : 0});
        }
        segments.add(new int[] {m[0], m[1], invert ? 0 : 1});
        prev = m[1];
      }
      if (prev < text.length()) {
        segments.add(new int[] {prev, text.length(), invert ? 1 : 0});
      }
      emit(text, segments, out);
    }

    /** Groups segments as the reference library does for each behavior, then emits them. */
    private void emit(String text, List<int[]> segments, List<String> out) {
      List<int[]> pieces = new ArrayList<>();
      boolean previousDelim = false;
      for (int[] seg : segments) {
        boolean delim = seg[2] == 1;
        boolean extend =
            switch (behavior) {
              case REMOVED, ISOLATED -> false;
              case MERGED_WITH_PREVIOUS -> delim && !previousDelim;
              case MERGED_WITH_NEXT -> !(delim && !previousDelim);
              case CONTIGUOUS -> delim == previousDelim;
            };
        if (behavior == Behavior.REMOVED && delim) {
          // dropped
        } else if (extend && !pieces.isEmpty()) {
          pieces.get(pieces.size() - 1)[1] = seg[1];
        } else {
          pieces.add(new int[] {seg[0], seg[1]});
        }
        previousDelim = delim;
      }
      for (int[] piece : pieces) {
        out.add(text.substring(piece[0], piece[1]));
      }
    }
  }
}

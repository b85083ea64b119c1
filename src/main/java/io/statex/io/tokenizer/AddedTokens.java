package io.statex.io.tokenizer;

import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tokens matched in the raw text before normalization (special tokens such as {@code </s>}, and
 * GPT-NeoX's runs of spaces): the text is cut at the leftmost-longest occurrence of any added
 * token, each occurrence becomes its id, and only the text between them goes through the
 * normalizer, pre-tokenizer and BPE.
 */
final class AddedTokens {
  /** One entry of {@code added_tokens}. */
  record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip) {}

  /** A stretch of the input: an added token (id >= 0) or text to encode (id = -1). */
  record Section(int start, String text, int id) {}

  private final Map<Integer, AddedToken> byId = new HashMap<>();
  private final Map<String, AddedToken> byContent = new HashMap<>();
  private final Node root = new Node();

  private AddedTokens(List<AddedToken> tokens) {
    for (AddedToken t : tokens) {
      byId.put(t.id(), t);
      byContent.put(t.content(), t);
      Node node = root;
      for (int i = 0; i < t.content().length(); i++) {
        node = node.children.computeIfAbsent(t.content().charAt(i), c -> new Node());
      }
      node.token = t;
    }
  }

  /**
   * Reads {@code added_tokens}. Matching happens on the raw text, so a token marked {@code
   * normalized} must be unchanged by the normalizer (true of the whitespace tokens of GPT-NeoX);
   * otherwise the file is refused rather than encoded differently from the reference.
   */
  static AddedTokens fromJson(JsonObject root, Normalizer normalizer) throws IOException {
    List<AddedToken> tokens = new ArrayList<>();
    JsonValue list = root.get("added_tokens");
    if (list == null) {
      return new AddedTokens(tokens);
    }
    List<JsonValue> items = JsonObject.asArray(list, root.pathOf("added_tokens"));
    Map<String, Integer> seen = new HashMap<>();
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject t = JsonObject.of(items.get(i), JsonObject.elementPath(root.pathOf("added_tokens"), i));
      AddedToken token =
          new AddedToken(
              t.integer("id", 0, BpeModel.MAX_ID - 1),
              t.string("content"),
              t.bool("special", false),
              t.bool("lstrip", false),
              t.bool("rstrip", false));
      check(t, token, normalizer, seen);
      if (!ids.add(token.id())) {
        throw new TokenizerFormatException(
            t.pathOf("id") + ": id " + token.id() + " is given to two added tokens");
      }
      tokens.add(token);
    }
    return new AddedTokens(tokens);
  }

  private static void check(
      JsonObject t, AddedToken token, Normalizer normalizer, Map<String, Integer> seen)
      throws IOException {
    if (token.content().isEmpty()) {
      throw new TokenizerFormatException(t.pathOf("content") + ": expected a non-empty string");
    }
    if (t.bool("single_word", false)) {
      throw new TokenizerFormatException(t.pathOf("single_word") + ": true is not supported");
    }
    boolean normalized = t.bool("normalized", !token.special());
    if (normalized
        && normalizer != null
        && !normalizer.normalize(token.content()).equals(token.content())) {
      throw new TokenizerFormatException(
          t.path()
              + ": an added token matched after normalization that the normalizer changes is not"
              + " supported");
    }
    Integer previous = seen.put(token.content(), token.id());
    if (previous != null) {
      throw new TokenizerFormatException(
          t.pathOf("content")
              + ": \""
              + token.content()
              + "\" is added twice (ids "
              + previous
              + " and "
              + token.id()
              + ")");
    }
  }

  AddedToken get(int id) {
    return byId.get(id);
  }

  /** The added token whose content is exactly {@code content}, or null. */
  AddedToken get(String content) {
    return byContent.get(content);
  }

  Iterable<AddedToken> all() {
    return byId.values();
  }

  /** Cuts {@code text} at added tokens, applying their lstrip/rstrip to the neighbouring text. */
  List<Section> split(String text) {
    List<Section> sections = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length()) {
      AddedToken match = longestAt(text, i);
      if (match == null) {
        i++;
        continue;
      }
      if (i > start) {
        sections.add(new Section(start, text.substring(start, i), -1));
      }
      sections.add(new Section(i, match.content(), match.id()));
      i += match.content().length();
      start = i;
    }
    if (start < text.length()) {
      sections.add(new Section(start, text.substring(start), -1));
    }
    return stripAround(sections);
  }

  private AddedToken longestAt(String text, int at) {
    AddedToken match = null;
    Node node = root;
    for (int j = at; j < text.length(); j++) {
      node = node.children.get(text.charAt(j));
      if (node == null) {
        break;
      }
      if (node.token != null) {
        match = node.token;
      }
    }
    return match;
  }

  private List<Section> stripAround(List<Section> sections) {
    for (int k = 0; k < sections.size(); k++) {
      Section s = sections.get(k);
      if (s.id() < 0) {
        continue;
      }
      AddedToken t = byId.get(s.id());
      if (t.lstrip() && k > 0 && sections.get(k - 1).id() < 0) {
        Section p = sections.get(k - 1);
        sections.set(k - 1, new Section(p.start(), Text.stripEnd(p.text()), -1));
      }
      if (t.rstrip() && k + 1 < sections.size() && sections.get(k + 1).id() < 0) {
        Section n = sections.get(k + 1);
        String stripped = Text.stripStart(n.text());
        int start = n.start() + n.text().length() - stripped.length();
        sections.set(k + 1, new Section(start, stripped, -1));
      }
    }
    return sections;
  }

  private static final class Node {
    final Map<Character, Node> children = new HashMap<>();
    AddedToken token;
  }
}

package io.statex.io.tokenizer;

import io.statex.io.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The first stage of encoding: rewrites each stretch of text between added tokens. LLaMA's files
 * prepend "▁" and replace spaces by it; GPT-NeoX's apply NFC.
 */
sealed interface Normalizer {
  String normalize(String text);

  /** Reads the {@code normalizer} field's value (not null). */
  static Normalizer fromJson(JsonObject json) throws IOException {
    String type = json.string("type");
    switch (type) {
      case "Sequence":
        List<Normalizer> steps = new ArrayList<>();
        for (JsonObject step : Components.objects(json, "normalizers")) {
          steps.add(fromJson(step));
        }
        return new Sequence(List.copyOf(steps));
      case "Prepend":
        return new Prepend(json.string("prepend"));
      case "Replace":
        return new Replace(Components.pattern(json), json.string("content"));
      case "NFC":
        return new Unicode(java.text.Normalizer.Form.NFC);
      case "NFD":
        return new Unicode(java.text.Normalizer.Form.NFD);
      case "NFKC":
        return new Unicode(java.text.Normalizer.Form.NFKC);
      case "NFKD":
        return new Unicode(java.text.Normalizer.Form.NFKD);
      default:
        throw Components.unsupported(json, "normalizer", type);
    }
  }

  record Sequence(List<Normalizer> steps) implements Normalizer {
    @Override
    public String normalize(String text) {
      for (Normalizer step : steps) {
        text = step.normalize(text);
      }
      return text;
    }
  }

  /** Prepends a string to non-empty text. */
  record Prepend(String prefix) implements Normalizer {
    @Override
    public String normalize(String text) {
      return text.isEmpty() ? text : prefix + text;
    }
  }

  record Replace(Components.Pattern pattern, String content) implements Normalizer {
    @Override
    public String normalize(String text) {
      return pattern.replaceAll(text, content);
    }
  }

  record Unicode(java.text.Normalizer.Form form) implements Normalizer {
    @Override
    public String normalize(String text) {
      return java.text.Normalizer.normalize(text, form);
    }
  }
}

package io.statex.io.tokenizer;

import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.io.IOException;
import java.util.List;

/**
 * The special tokens put around an encoded text: what a {@code TemplateProcessing} post-processor
 * asks for a single sequence (LLaMA: {@code <s>} first). A {@code ByteLevel} post-processor only
 * adjusts offsets, which this reader does not produce, so it adds nothing; a {@code Sequence}
 * concatenates its steps. Pair templates are not used: the engine encodes one text at a time.
 */
record PostProcessor(int[] prefix, int[] suffix) {
  static final PostProcessor NONE = new PostProcessor(new int[0], new int[0]);

  /** Reads the {@code post_processor} field's value (null: none). */
  static PostProcessor fromJson(JsonObject json) throws IOException {
    if (json == null) {
      return NONE;
    }
    String type = json.string("type");
    switch (type) {
      case "ByteLevel":
        return NONE;
      case "TemplateProcessing":
        return template(json);
      case "Sequence":
        PostProcessor all = NONE;
        for (JsonObject step : Components.objects(json, "processors")) {
          PostProcessor p = fromJson(step);
          // each step wraps what the steps before it produced
          all = new PostProcessor(concat(p.prefix, all.prefix), concat(all.suffix, p.suffix));
        }
        return all;
      default:
        throw Components.unsupported(json, "post_processor", type);
    }
  }

  private static PostProcessor template(JsonObject json) throws IOException {
    JsonObject specials = json.object("special_tokens");
    IntList prefix = new IntList();
    IntList suffix = new IntList();
    boolean seenSequence = false;
    for (JsonObject item : Components.objects(json, "single")) {
      if (item.size() != 1 || !(item.has("SpecialToken") || item.has("Sequence"))) {
        throw new TokenizerFormatException(
            item.path() + ": expected one of \"SpecialToken\" or \"Sequence\", got " + item.keys());
      }
      if (item.has("Sequence")) {
        String id = item.object("Sequence").string("id");
        if (!id.equals("A") || seenSequence) {
          throw new TokenizerFormatException(
              item.pathOf("Sequence") + ": expected a single sequence \"A\", got \"" + id + "\"");
        }
        seenSequence = true;
        continue;
      }
      String name = item.object("SpecialToken").string("id");
      JsonObject special = specials.object(name);
      List<JsonValue> ids = special.array("ids");
      for (int i = 0; i < ids.size(); i++) {
        String where = JsonObject.elementPath(special.pathOf("ids"), i);
        (seenSequence ? suffix : prefix).add(JsonObject.asInt(ids.get(i), where, 0, BpeModel.MAX_ID - 1));
      }
    }
    if (!seenSequence) {
      throw new TokenizerFormatException(json.pathOf("single") + ": no Sequence \"A\"");
    }
    return new PostProcessor(prefix.toArray(), suffix.toArray());
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

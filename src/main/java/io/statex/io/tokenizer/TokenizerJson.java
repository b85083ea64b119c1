package io.statex.io.tokenizer;

import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonValue;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a Hugging Face {@code tokenizer.json} (optionally gzipped) into a {@link BpeTokenizer}.
 * The file is untrusted: its size is bounded before it is read, the JSON is parsed strictly, every
 * field is type-checked, every merge and special id must name a token the vocabulary has, and any
 * component outside the supported set is refused with an error naming the file and the field.
 */
final class TokenizerJson {
  /** The largest tokenizer file accepted (after decompression); real ones are under 40 MiB. */
  static final long MAX_FILE_BYTES = 64L << 20;

  static final long MAX_CONFIG_BYTES = 16L << 20;

  private static final List<String> BOS_NAMES = List.of("<s>", "<|begin_of_text|>", "<bos>");
  private static final List<String> EOS_NAMES =
      List.of("</s>", "<|endoftext|>", "<|end_of_text|>", "<eos>");

  private TokenizerJson() {}

  static Tokenizer read(Path file) throws IOException {
    JsonObject root = load(file, MAX_FILE_BYTES);
    BpeTokenizer tokenizer;
    try {
      tokenizer = build(root);
    } catch (JsonException | TokenizerFormatException e) {
      throw inFile(file, e);
    }
    Path configFile = file.resolveSibling("tokenizer_config.json");
    if (!Files.isRegularFile(configFile)) {
      return tokenizer;
    }
    JsonObject config = load(configFile, MAX_CONFIG_BYTES);
    try {
      return tokenizer.withSpecialIds(
          new BpeTokenizer.SpecialIds(
              configToken(tokenizer, config, "bos_token", tokenizer.bosId().orElse(-1)),
              configToken(tokenizer, config, "eos_token", tokenizer.eosId().orElse(-1)),
              configToken(tokenizer, config, "unk_token", tokenizer.unkId().orElse(-1))));
    } catch (JsonException | TokenizerFormatException e) {
      throw inFile(configFile, e);
    }
  }

  /** Builds the pipeline from a parsed tokenizer.json; special ids from the file alone. */
  static BpeTokenizer build(JsonObject root) throws IOException {
    for (String key : List.of("truncation", "padding")) {
      if (root.has(key)) {
        throw new TokenizerFormatException(
            root.pathOf(key) + ": unsupported (expected null; the engine truncates and pads itself)");
      }
    }
    BpeModel model = BpeModel.fromJson(root.object("model"));
    JsonObject n = root.objectOrNull("normalizer");
    Normalizer normalizer = n == null ? null : Normalizer.fromJson(n);
    JsonObject p = root.objectOrNull("pre_tokenizer");
    PreTokenizer preTokenizer = p == null ? null : PreTokenizer.fromJson(p);
    JsonObject d = root.objectOrNull("decoder");
    Decoder decoder = d == null ? null : Decoder.fromJson(d);
    PostProcessor post = PostProcessor.fromJson(root.objectOrNull("post_processor"));
    AddedTokens added = AddedTokens.fromJson(root, normalizer);
    BpeTokenizer.SpecialIds ids =
        new BpeTokenizer.SpecialIds(
            post.prefix().length > 0 ? post.prefix()[0] : byName(added, BOS_NAMES),
            post.suffix().length > 0 ? post.suffix()[post.suffix().length - 1] : byName(added, EOS_NAMES),
            model.unkId());
    BpeTokenizer tokenizer =
        new BpeTokenizer(model, added, normalizer, preTokenizer, post, decoder, ids);
    checkAssigned(tokenizer, post.prefix(), root.pathOf("post_processor"));
    checkAssigned(tokenizer, post.suffix(), root.pathOf("post_processor"));
    return tokenizer;
  }

  private static JsonObject load(Path file, long limit) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "not a regular file");
    }
    long size = Files.size(file);
    if (size > limit) {
      throw new TokenizerFormatException(
          file + ": too large, at most " + limit + " bytes, got " + size);
    }
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return JsonObject.of(Json.parse(Json.readUtf8(in, limit, "content")), "");
    } catch (JsonException e) {
      throw inFile(file, e);
    } catch (ZipException | EOFException e) {
      throw new TokenizerFormatException(file + ": corrupt gzip data (" + e.getMessage() + ")");
    }
  }

  /** The same kind of error with the file named first. */
  private static IOException inFile(Path file, IOException e) {
    String message = file + ": " + e.getMessage();
    IOException out =
        e instanceof JsonException
            ? new JsonException(message)
            : new TokenizerFormatException(message);
    out.initCause(e);
    return out;
  }

  private static void checkAssigned(BpeTokenizer t, int[] ids, String where)
      throws TokenizerFormatException {
    for (int id : ids) {
      if (!t.isAssigned(id)) {
        throw new TokenizerFormatException(
            where + ": special id " + id + " is not a token of the vocabulary");
      }
    }
  }

  private static int byName(AddedTokens added, List<String> names) {
    for (String name : names) {
      AddedTokens.AddedToken t = added.get(name);
      if (t != null && t.special()) {
        return t.id();
      }
    }
    return -1;
  }

  /** A token named in tokenizer_config.json, as a string or as {"content": ...}. */
  private static int configToken(Tokenizer t, JsonObject config, String key, int fallback)
      throws IOException {
    JsonValue v = config.get(key);
    if (v == null) {
      return fallback;
    }
    String name = v instanceof JsonValue.Str s ? s.value() : JsonObject.of(v, key).string("content");
    return t.tokenToId(name)
        .orElseThrow(
            () ->
                new TokenizerFormatException(
                    key + ": \"" + name + "\" is not a token of the vocabulary"));
  }
}

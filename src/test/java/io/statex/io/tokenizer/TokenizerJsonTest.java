package io.statex.io.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.json.JsonException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading tokenizer.json files: a small valid one, and bad ones that must fail clearly. */
class TokenizerJsonTest {
  /** A minimal byte-level tokenizer: "a" + "b" merge into "ab"; "<unk>" special. */
  private static final String VALID =
      """
      {"version": "1.0", "truncation": null, "padding": null,
       "added_tokens": [{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false,
                         "rstrip": false, "normalized": false, "special": true}],
       "normalizer": null,
       "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
       "post_processor": null,
       "decoder": {"type": "ByteLevel"},
       "model": {"type": "BPE", "dropout": null, "unk_token": null,
                 "vocab": {"<unk>": 0, "a": 1, "b": 2, "ab": 3, "\\u0120": 4, "\\u0120a": 5},
                 "merges": ["a b", "\\u0120 a"]}}
      """;

  @TempDir Path dir;

  @Test
  void readsAMinimalFile() throws IOException {
    Tokenizer t = Tokenizer.fromJson(write("tokenizer.json", VALID));
    // "aab" -> a, ab; " ab" -> \u0120 a b, where (a, b) ranks before (\u0120, a) -> \u0120, ab
    assertArrayEquals(new int[] {1, 3, 4, 3}, t.encode("aab ab"));
    assertArrayEquals(new int[] {3, 4, 3, 0}, t.encode("ab ab<unk>"));
    assertEquals("ab ab<unk>", t.decode(new int[] {3, 4, 3, 0}));
    assertEquals("ab ab", t.decode(new int[] {3, 4, 3, 0}, true));
    assertEquals(6, t.vocabSize());
  }

  @Test
  void mergesInArrayFormReadTheSame() throws IOException {
    Tokenizer strings = Tokenizer.fromJson(write("tokenizer.json", VALID));
    Tokenizer arrays = Tokenizer.fromJson(write("b/tokenizer.json",
        VALID.replace("[\"a b\", \"\\u0120 a\"]", "[[\"a\", \"b\"], [\"\\u0120\", \"a\"]]")));
    for (String s : new String[] {"ab", "a b", "ba ab aab", " a"}) {
      assertArrayEquals(strings.encode(s), arrays.encode(s), s);
    }
  }

  @Test
  void truncatedFile() throws IOException {
    Path f = write("tokenizer.json", VALID.substring(0, VALID.length() / 2));
    JsonException e = assertThrows(JsonException.class, () -> Tokenizer.fromJson(f));
    assertMessage(e, f.toString(), "JSON syntax error", "line");
  }

  @Test
  void wrongTypes() throws IOException {
    expectError(VALID.replaceFirst("\"vocab\": \\{[^}]*}", "\"vocab\": [\"a\", \"b\"]"),
        JsonException.class, "model.vocab", "expected an object", "array");
    expectError(VALID.replace("\"ab\": 3", "\"ab\": \"3\""), JsonException.class,
        "model.vocab[\"ab\"]", "expected an integer", "string");
    expectError(VALID.replace("[\"a b\", ", "[7, "), JsonException.class, "model.merges[0]",
        "number 7");
    expectError(VALID.replace("\"ab\": 3", "\"ab\": -3"), JsonException.class,
        "model.vocab[\"ab\"]", "-3");
    expectError(VALID.replace("\"use_regex\": true", "\"use_regex\": \"yes\""),
        JsonException.class, "pre_tokenizer.use_regex", "true or false");
  }

  @Test
  void unknownModelType() throws IOException {
    expectError(VALID.replace("\"type\": \"BPE\"", "\"type\": \"Unigram\""),
        TokenizerFormatException.class, "model.type", "Unigram");
  }

  @Test
  void unsupportedComponents() throws IOException {
    expectError(VALID.replace("\"normalizer\": null", "\"normalizer\": {\"type\": \"Lowercase\"}"),
        TokenizerFormatException.class, "normalizer.type", "Lowercase");
    expectError(VALID.replace("{\"type\": \"ByteLevel\"}", "{\"type\": \"WordPiece\"}"),
        TokenizerFormatException.class, "decoder.type", "WordPiece");
    expectError(VALID.replace("\"post_processor\": null",
            "\"post_processor\": {\"type\": \"RobertaProcessing\"}"),
        TokenizerFormatException.class, "post_processor.type", "RobertaProcessing");
    expectError(VALID.replace("\"truncation\": null", "\"truncation\": {\"max_length\": 5}"),
        TokenizerFormatException.class, "truncation", "unsupported");
    expectError(VALID.replace("\"dropout\": null", "\"dropout\": 0.1"),
        TokenizerFormatException.class, "model.dropout", "0.1");
  }

  @Test
  void mergesReferencingMissingTokens() throws IOException {
    expectError(VALID.replace("\"a b\"", "\"a c\""), TokenizerFormatException.class,
        "model.merges[0]", "\"c\"", "not in model.vocab");
    expectError(VALID.replace("\"ab\": 3, ", ""), TokenizerFormatException.class,
        "model.merges[0]", "\"ab\"");
    expectError(VALID.replace("\"a b\"", "\"a  b\""), TokenizerFormatException.class,
        "model.merges[0]", "exactly one space");
  }

  @Test
  void inconsistentIds() throws IOException {
    expectError(VALID.replace("\"ab\": 3", "\"ab\": 2"), TokenizerFormatException.class,
        "model.vocab", "id 2");
    expectError(VALID.replace("\"added_tokens\": [", "\"added_tokens\": [{\"id\": 0, \"content\": \"<x>\"}, "),
        TokenizerFormatException.class, "added_tokens[1].id", "id 0");
    expectError(VALID.replace("\"post_processor\": null", """
        "post_processor": {"type": "TemplateProcessing",
          "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
          "special_tokens": {"<s>": {"id": "<s>", "ids": [99], "tokens": ["<s>"]}}}"""),
        TokenizerFormatException.class, "post_processor", "99");
    expectError(VALID.replace("\"byte_fallback\"", "x").replace("\"dropout\": null",
            "\"dropout\": null, \"byte_fallback\": true"),
        TokenizerFormatException.class, "model.byte_fallback", "<0x00>");
  }

  @Test
  void corruptGzip() throws IOException {
    Path f = dir.resolve("tokenizer.json.gz");
    Files.write(f, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> Tokenizer.fromJson(f));
    assertMessage(e, f.toString(), "gzip");
  }

  @Test
  void gzippedFileReadsLikeThePlainOne() throws IOException {
    Path gz = dir.resolve("tokenizer.json.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(VALID.getBytes(StandardCharsets.UTF_8));
    }
    assertArrayEquals(new int[] {3, 5}, Tokenizer.fromJson(gz).encode("ab a"));
  }

  @Test
  void specialTokensFromTokenizerConfig() throws IOException {
    Path f = write("tokenizer.json", VALID);
    assertTrue(Tokenizer.fromJson(f).eosId().isEmpty(), "no conventional EOS name, no config");
    write("tokenizer_config.json", "{\"eos_token\": \"b\", \"bos_token\": {\"content\": \"a\"}}");
    Tokenizer t = Tokenizer.fromJson(f);
    assertEquals(2, t.eosId().getAsInt());
    assertEquals(1, t.bosId().getAsInt());
    write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
    TokenizerFormatException e =
        assertThrows(TokenizerFormatException.class, () -> Tokenizer.fromJson(f));
    assertMessage(e, "tokenizer_config.json", "eos_token", "</s>");
  }

  @Test
  void missingFile() {
    assertThrows(IOException.class, () -> Tokenizer.fromJson(dir.resolve("nope.json")));
  }

  private void expectError(String json, Class<? extends IOException> type, String... parts)
      throws IOException {
    Path f = write("tokenizer.json", json);
    IOException e = assertThrows(type, () -> Tokenizer.fromJson(f));
    assertMessage(e, parts);
    assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
  }

  private static void assertMessage(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part),
          "message should contain '" + part + "': " + e.getMessage());
    }
  }

  private Path write(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content);
    return f;
  }
}

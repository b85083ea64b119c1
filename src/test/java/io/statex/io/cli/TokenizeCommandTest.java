package io.statex.io.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.data.TokenShards;
import io.statex.io.json.JsonValue;
import io.statex.io.json.JsonWriter;
import io.statex.io.tokenizer.Tokenizer;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statex tokenize: documents from text and JSON lines into shards, and back. */
class TokenizeCommandTest {
  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(TokenizeCommandTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path llama() {
    return resource("/tokenizer/llama2/tokenizer.json");
  }

  /** Random documents (ASCII words, accents, an emoji, newlines, and an empty one). */
  private static List<String> documents(SplittableRandom r) {
    String[] words = {"the", "state", "space", "café", "naïve", "gated", "linear", "attention", "\n", "😀", "2048", "  "};
    List<String> docs = new ArrayList<>();
    docs.add("");
    for (int d = 0; d < 12; d++) {
      StringBuilder sb = new StringBuilder();
      for (int w = 1 + r.nextInt(30); w > 0; w--) {
        sb.append(words[r.nextInt(words.length)]).append(' ');
      }
      docs.add(sb.toString().strip());
    }
    return docs;
  }

  private static String jsonLine(String text) {
    return JsonWriter.compact(new JsonValue.Obj(Map.of("text", new JsonValue.Str(text), "meta", new JsonValue.Num("1"))));
  }

  @Test
  void documentsBecomeShardsAndDecodeBack() throws IOException {
    List<String> docs = documents(new SplittableRandom(Seeds.fresh("tokenize")));
    Path jsonl = dir.resolve("a.jsonl");
    Files.writeString(jsonl, String.join("\n", docs.subList(0, 6).stream().map(TokenizeCommandTest::jsonLine).toList()) + "\n\n");
    Path gz = dir.resolve("b.jsonl.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(String.join("\r\n", docs.subList(6, 12).stream().map(TokenizeCommandTest::jsonLine).toList()).getBytes(StandardCharsets.UTF_8));
    }
    Path txt = dir.resolve("c.txt");
    Files.writeString(txt, docs.get(12));
    Path out = dir.resolve("shards");

    Cli.Result r = Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", out.toString(), "--shard-tokens", "40",
        jsonl.toString(), gz.toString(), txt.toString());
    assertEquals(0, r.code(), String.valueOf(r.error()));
    assertTrue(r.out().startsWith("statex tokenize: 13 documents, "), r.out());

    Tokenizer tok = Tokenizer.fromJson(llama());
    int eos = tok.eosId().getAsInt();
    List<Integer> want = new ArrayList<>();
    for (String d : docs) {
      for (int id : tok.encode(d, true)) {
        want.add(id);
      }
      want.add(eos);
    }
    try (TokenShards shards = TokenShards.openDirectory(out)) {
      assertTrue(shards.shards().size() > 2, "expected several shards, got " + shards.shards().size());
      assertEquals(eos, shards.eosId());
      assertEquals(tok.vocabSize(), shards.vocabSize());
      int[] got = new int[(int) shards.size()];
      shards.read(0, got, 0, got.length);
      assertArrayEquals(want.stream().mapToInt(Integer::intValue).toArray(), got, Seeds.describe());
      List<String> back = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < got.length; i++) {
        if (got[i] == eos) {
          back.add(tok.decode(java.util.Arrays.copyOfRange(got, start, i), true));
          start = i + 1;
        }
      }
      assertEquals(docs, back, Seeds.describe());
    }
  }

  @Test
  void noBosNoEos() throws IOException {
    Path txt = dir.resolve("one.txt");
    Files.writeString(txt, "gated linear attention");
    Path out = dir.resolve("plain");
    assertEquals(0, Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", out.toString(), "--no-bos", "--no-eos",
        txt.toString()).code());
    try (TokenShards shards = TokenShards.openDirectory(out)) {
      int[] got = new int[(int) shards.size()];
      shards.read(0, got, 0, got.length);
      assertArrayEquals(Tokenizer.fromJson(llama()).encode("gated linear attention", false), got);
      assertEquals(-1, shards.eosId(), "no separator recorded when none was written");
    }
  }

  @Test
  void badInputsNameTheFileAndLine() throws IOException {
    Path jsonl = dir.resolve("bad.jsonl");
    Files.writeString(jsonl, jsonLine("fine") + "\n{\"txt\": \"wrong field\"}\n");
    Exception e = Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", dir.resolve("o1").toString(), jsonl.toString()).error();
    assertEquals(jsonl + ":2: text: missing field", e.getMessage());
    try (var left = Files.list(dir.resolve("o1"))) {
      assertEquals(List.of(), left.toList(), "a failed run commits no partial shard");
    }

    Files.writeString(jsonl, "{\"text\": 5}\n");
    e = Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", dir.resolve("o2").toString(), jsonl.toString()).error();
    assertEquals(jsonl + ":1: text: expected a string, got the number 5", e.getMessage());

    Path latin1 = dir.resolve("latin1.txt");
    Files.write(latin1, new byte[] {'c', 'a', 'f', (byte) 0xe9});
    e = Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", dir.resolve("o3").toString(), latin1.toString()).error();
    assertTrue(e.getMessage().startsWith(latin1 + ": not valid UTF-8"), e.getMessage());

    Path big = dir.resolve("big.txt");
    Files.writeString(big, "x".repeat(1000));
    e = Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", dir.resolve("o4").toString(), "--max-doc-chars", "100",
        big.toString()).error();
    assertTrue(e.getMessage().startsWith(big + ": longer than --max-doc-chars (100 chars)"), e.getMessage());

    Path out = dir.resolve("used");
    Files.createDirectories(out);
    Files.writeString(out.resolve("part-00000.tokens"), "");
    e = Cli.run("tokenize", "--tokenizer", llama().toString(), "--out", out.toString(), big.toString()).error();
    assertInstanceOf(IllegalArgumentException.class, e);
    assertTrue(e.getMessage().contains("already holds *.tokens"), e.getMessage());
  }
}

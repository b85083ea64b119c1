package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several shards (empty ones and mixed widths included) read as one stream. */
class TokenShardsTest {
  @TempDir Path dir;

  @Test
  void shardsReadAsTheirConcatenation() throws IOException {
    Random r = new Random(Seeds.fresh("token shards"));
    int[] sizes = {0, 17, 0, 1, 4099, 0, 250};
    List<Integer> all = new ArrayList<>();
    for (int s = 0; s < sizes.length; s++) {
      int[] t = ShardFiles.randomTokens(r, sizes[s], 60_000);
      for (int x : t) {
        all.add(x);
      }
      // names sort in stream order only with the zero padding: part-10 would come before part-2
      TokenShardWriter.write(dir.resolve(String.format("part-%03d.tokens", s)), s % 2 == 0 ? 2 : 4, 60_000, 3, t);
    }
    Files.writeString(dir.resolve("notes.txt"), "not a shard");
    int[] expect = all.stream().mapToInt(Integer::intValue).toArray();
    try (TokenShards shards = TokenShards.openDirectory(dir)) {
      String where = "(" + Seeds.describe() + ")";
      assertEquals(sizes.length, shards.shards().size());
      assertEquals(expect.length, shards.size());
      assertEquals(60_000, shards.vocabSize());
      assertEquals(3, shards.eosId());
      for (int i = 0; i < expect.length; i++) {
        assertEquals(expect[i], shards.get(i), where + " at " + i);
      }
      for (int k = 0; k < 200; k++) {
        int start = r.nextInt(expect.length);
        int len = r.nextInt(expect.length - start + 1);
        int[] dst = new int[len];
        shards.read(start, dst);
        for (int j = 0; j < len; j++) {
          assertEquals(expect[start + j], dst[j], where + " read(" + start + ", " + len + ") at " + j);
        }
      }
      int[] whole = new int[expect.length];
      shards.read(0, whole);
      assertArrayEquals(expect, whole);
      assertThrows(IndexOutOfBoundsException.class, () -> shards.get(expect.length));
    }
  }

  @Test
  void shardsMustAgreeOnVocabularyAndEos() throws IOException {
    Path a = dir.resolve("a.tokens");
    Path b = dir.resolve("b.tokens");
    Path c = dir.resolve("c.tokens");
    TokenShardWriter.write(a, 2, 100, 0, new int[] {1});
    TokenShardWriter.write(b, 2, 101, 0, new int[] {1});
    TokenShardWriter.write(c, 2, 100, 1, new int[] {1});
    ShardFormatException vocab = assertThrows(ShardFormatException.class, () -> TokenShards.open(List.of(a, b)));
    assertEquals("vocab", vocab.field());
    assertTrue(vocab.getMessage().contains("expected 100") && vocab.getMessage().contains("found 101"), vocab.getMessage());
    ShardFormatException eos = assertThrows(ShardFormatException.class, () -> TokenShards.open(List.of(a, c)));
    assertEquals("eos", eos.field());
    assertThrows(IllegalArgumentException.class, () -> TokenShards.open(List.of()));
    Path empty = Files.createDirectory(dir.resolve("none"));
    IOException none = assertThrows(IOException.class, () -> TokenShards.openDirectory(empty));
    assertTrue(none.getMessage().contains("no shard files"), none.getMessage());
  }
}

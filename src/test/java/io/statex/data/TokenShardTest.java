package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.testing.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Writing and reading token shards: round trips, windows, the writer's guarantees. */
class TokenShardTest {
  @TempDir Path dir;

  static Stream<Arguments> roundTrips() {
    return Stream.of(
        Arguments.of(2, 0, TokenShard.DEFAULT_WINDOW_BYTES),
        Arguments.of(4, 0, 8L),
        Arguments.of(2, 1, 4L),
        Arguments.of(4, 1, TokenShard.DEFAULT_WINDOW_BYTES),
        Arguments.of(2, 63, 12L),
        Arguments.of(4, 65, 12L),
        Arguments.of(2, 20_011, 4_100L),
        Arguments.of(4, 20_011, 4_100L),
        Arguments.of(2, 70_001, TokenShard.DEFAULT_WINDOW_BYTES),
        Arguments.of(4, 70_001, 65_540L));
  }

  @ParameterizedTest(name = "width{0}-n{1}-window{2}")
  @MethodSource("roundTrips")
  void roundTripReadsBackEveryToken(int width, int n, long window) throws IOException {
    Random r = new Random(Seeds.fresh("shard round trip " + width + " " + n + " " + window));
    String where = "width " + width + ", n " + n + ", window " + window + " (" + Seeds.describe() + ")";
    int vocab = r.nextBoolean() ? 0 : 1 + r.nextInt(width == 2 ? 65536 : Integer.MAX_VALUE);
    long bound = vocab > 0 ? vocab : width == 2 ? 65536 : 1L << 31;
    int eos = (int) (r.nextDouble() * bound);
    int[] tokens = ShardFiles.randomTokens(r, n, bound);
    Path file = dir.resolve("a.tokens");
    try (TokenShardWriter w = TokenShardWriter.create(file, width, vocab, eos)) {
      appendInRandomPieces(w, tokens, r);
      assertEquals(n, w.count(), where);
    }
    assertEquals(32L + (long) n * width, Files.size(file), where);
    try (TokenShard s = TokenShard.open(file, window)) {
      assertEquals(new TokenShardHeader(1, width, n, vocab, eos), s.header(), where);
      for (int i = 0; i < n; i++) {
        assertEquals(tokens[i], s.get(i), where + " at " + i);
      }
      int[] all = new int[n];
      s.read(0, all);
      assertArrayEquals(tokens, all, where);
      for (int k = 0; k < 50 && n > 0; k++) {
        int start = r.nextInt(n);
        int len = r.nextInt(n - start + 1);
        int off = r.nextInt(5);
        int[] dst = new int[off + len];
        s.read(start, dst, off, len);
        for (int j = 0; j < len; j++) {
          assertEquals(tokens[start + j], dst[off + j], where + " read(" + start + ", " + len + ") at " + j);
        }
      }
      s.checkTokens();
    }
  }

  private static void appendInRandomPieces(TokenShardWriter w, int[] tokens, Random r) throws IOException {
    int i = 0;
    while (i < tokens.length) {
      if (r.nextInt(4) == 0) {
        w.append(tokens[i++]);
      } else {
        int len = Math.min(tokens.length - i, r.nextInt(3000));
        w.append(tokens, i, len);
        i += len;
      }
    }
  }

  @Test
  void emptyShardHasOnlyTheHeader() throws IOException {
    Path file = dir.resolve("empty.tokens");
    TokenShardWriter.write(file, 2, 0, -1, new int[0]);
    assertEquals(32, Files.size(file));
    try (TokenShard s = TokenShard.open(file)) {
      assertEquals(0, s.size());
      s.read(0, new int[0]);
      assertThrows(IndexOutOfBoundsException.class, () -> s.get(0));
    }
  }

  @Test
  void writerRejectsIdsThatDoNotFitAndWritesNothingOfTheCall() throws IOException {
    Path file = dir.resolve("reject.tokens");
    try (TokenShardWriter w = TokenShardWriter.create(file, 2, 0, -1)) {
      w.append(new int[] {1, 2, 65535});
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.append(new int[] {7, 65536}));
      assertTrue(e.getMessage().contains("index 4") && e.getMessage().contains("65536") && e.getMessage().contains("width 2"),
          e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> w.append(-1));
      assertEquals(3, w.count());
    }
    try (TokenShard s = TokenShard.open(file)) {
      int[] back = new int[3];
      s.read(0, back);
      assertArrayEquals(new int[] {1, 2, 65535}, back);
    }
    try (TokenShardWriter w = TokenShardWriter.create(dir.resolve("v.tokens"), 4, 1000, 999)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.append(1000));
      assertTrue(e.getMessage().contains("vocab 1000"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> TokenShardWriter.create(dir.resolve("w.tokens"), 3, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> TokenShardWriter.create(dir.resolve("e.tokens"), 2, 10, 10));
    assertEquals(List.of("reject.tokens", "v.tokens"), listDir());
  }

  @Test
  void targetAppearsWhole_onlyAtClose_andAbortKeepsTheOldFile() throws IOException {
    Path file = dir.resolve("atomic.tokens");
    TokenShardWriter w = TokenShardWriter.create(file, 4, 0, -1);
    w.append(new int[] {5, 6, 7});
    assertFalse(Files.exists(file));
    w.close();
    assertTrue(Files.exists(file));
    assertThrows(IllegalStateException.class, () -> w.append(1));

    TokenShardWriter replacement = TokenShardWriter.create(file, 2, 0, -1);
    replacement.append(new int[] {1, 1, 1, 1, 1});
    replacement.abort();
    try (TokenShard s = TokenShard.open(file)) {
      assertEquals(3, s.size());
      assertEquals(7, s.get(2));
    }
    TokenShardWriter.write(file, 2, 0, -1, new int[] {9});
    try (TokenShard s = TokenShard.open(file)) {
      assertEquals(TokenShardHeader.of(2, 1, 0, -1), s.header());
    }
    assertEquals(List.of("atomic.tokens"), listDir());
  }

  @Test
  void idsOutsideTheRecordedVocabularyFailWhenRead() throws IOException {
    int[] tokens = {3, 99, 100, 4};
    Path file = ShardFiles.write(dir.resolve("vocab.tokens"), ShardFiles.raw(ShardFiles.magic(), 1, 2, 4, 100, -1, tokens));
    try (TokenShard s = TokenShard.open(file)) {
      assertEquals(99, s.get(1));
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> s.get(2));
      ShardFormatException cause = assertInstanceOf(ShardFormatException.class, e.getCause());
      assertEquals("token", cause.field());
      assertTrue(cause.getMessage().contains("index 2") && cause.getMessage().contains("100"), cause.getMessage());
      assertThrows(UncheckedIOException.class, () -> s.read(0, new int[4]));
      ShardFormatException scan = assertThrows(ShardFormatException.class, s::checkTokens);
      assertTrue(scan.getMessage().contains("index 2"), scan.getMessage());
    }
    int[] high = {1, 0x80000000};
    Path wide = ShardFiles.write(dir.resolve("wide.tokens"), ShardFiles.raw(ShardFiles.magic(), 1, 4, 2, 0, -1, high));
    try (TokenShard s = TokenShard.open(wide)) {
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> s.get(1));
      assertTrue(e.getCause().getMessage().contains("2147483648"), e.getCause().getMessage());
    }
  }

  @Test
  void badArgumentsAndClosedShardsAreRejected() throws IOException {
    Path file = dir.resolve("args.tokens");
    TokenShardWriter.write(file, 2, 0, -1, new int[] {1, 2, 3});
    assertThrows(IllegalArgumentException.class, () -> TokenShard.open(file, 6));
    assertThrows(IllegalArgumentException.class, () -> TokenShard.open(file, 0));
    TokenShard s = TokenShard.open(file, 4);
    assertThrows(IndexOutOfBoundsException.class, () -> s.get(3));
    assertThrows(IndexOutOfBoundsException.class, () -> s.get(-1));
    assertThrows(IndexOutOfBoundsException.class, () -> s.read(2, new int[2]));
    assertThrows(IndexOutOfBoundsException.class, () -> s.read(0, new int[2], 1, 2));
    s.close();
    assertThrows(IllegalStateException.class, () -> s.get(0));
  }

  private List<String> listDir() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

package io.statex.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.testing.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile and broken shard files: each gives a ShardFormatException naming the field, never anything worse. */
class TokenShardCorruptTest {
  private static final int[] TOKENS = {1, 2, 3, 4, 5};

  @TempDir Path dir;

  static Stream<Arguments> brokenFiles() {
    byte[] magic = ShardFiles.magic();
    byte[] badMagic = magic.clone();
    badMagic[3] = 'x';
    byte[] valid = ShardFiles.raw(magic, 1, 2, 5, 0, -1, TOKENS);
    return Stream.of(
        Arguments.of("empty file", new byte[0], "header", "0 bytes"),
        Arguments.of("short header", Arrays.copyOf(valid, 20), "header", "20 bytes"),
        Arguments.of("bad magic", ShardFiles.raw(badMagic, 1, 2, 5, 0, -1, TOKENS), "magic", "53 54 58 78"),
        Arguments.of("version 2", ShardFiles.raw(magic, 2, 2, 5, 0, -1, TOKENS), "version", "found 2"),
        Arguments.of("version 0", ShardFiles.raw(magic, 0, 2, 5, 0, -1, TOKENS), "version", "found 0"),
        Arguments.of("width 3", ShardFiles.raw(magic, 1, 3, 5, 0, -1, TOKENS), "width", "found 3"),
        Arguments.of("width 8", ShardFiles.raw(magic, 1, 8, 5, 0, -1, new int[0]), "width", "found 8"),
        Arguments.of("truncated payload", Arrays.copyOf(valid, valid.length - 1), "payload", "truncated"),
        Arguments.of("trailing bytes", Arrays.copyOf(valid, valid.length + 2), "payload", "trailing"),
        Arguments.of("huge count", ShardFiles.raw(magic, 1, 2, 1L << 40, 0, -1, TOKENS), "payload", "1099511627776 tokens"),
        Arguments.of("count overflows bytes", ShardFiles.raw(magic, 1, 4, Long.MAX_VALUE / 3, 0, -1, TOKENS), "count",
            String.valueOf(Long.MAX_VALUE / 3)),
        Arguments.of("negative count", ShardFiles.raw(magic, 1, 2, -5, 0, -1, TOKENS), "count", "found -5"),
        Arguments.of("vocab too large for uint16", ShardFiles.raw(magic, 1, 2, 5, 65537, -1, TOKENS), "vocab", "65537"),
        Arguments.of("negative vocab", ShardFiles.raw(magic, 1, 4, 5, -7, -1, TOKENS), "vocab", "-7"),
        Arguments.of("eos outside vocab", ShardFiles.raw(magic, 1, 2, 5, 10, 10, TOKENS), "eos", "found 10"),
        Arguments.of("eos below -1", ShardFiles.raw(magic, 1, 2, 5, 0, -2, TOKENS), "eos", "found -2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void brokenFileIsAClearError(String name, byte[] bytes, String field, String detail) throws IOException {
    Path file = ShardFiles.write(dir.resolve("broken.tokens"), bytes);
    ShardFormatException e = assertThrows(ShardFormatException.class, () -> TokenShard.open(file));
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(detail), "expected \"" + detail + "\" in: " + e.getMessage());
  }

  /** Random byte mutations of a valid file: the shard opens and reads back, or fails with the clear errors only. */
  @Test
  void mutatedFilesOpenCleanlyOrFailCleanly() throws IOException {
    Random r = new Random(Seeds.fresh("shard fuzz"));
    int[] tokens = ShardFiles.randomTokens(r, 40, 500);
    byte[] valid = ShardFiles.raw(ShardFiles.magic(), 1, 2, tokens.length, 500, 7, tokens);
    Path file = dir.resolve("fuzz.tokens");
    int opened = 0;
    for (int iter = 0; iter < 2000; iter++) {
      byte[] b = mutate(valid, r);
      Files.write(file, b);
      try (TokenShard s = TokenShard.open(file, 4 * (1 + r.nextInt(8)))) {
        opened++;
        readAll(s, b, iter);
      } catch (ShardFormatException expected) {
        assertTrue(expected.getMessage().contains(expected.field() + ": "), expected.getMessage());
      } catch (RuntimeException | IOException e) {
        fail("mutation " + iter + " (" + Seeds.describe() + ") gave " + e + " for bytes " + Arrays.toString(b), e);
      }
    }
    assertTrue(opened > 0, "no mutation left a readable file; the fuzz checks nothing (" + Seeds.describe() + ")");
  }

  /** Reads every token; an id past the header's bound may fail, but only with a wrapped ShardFormatException. */
  private static void readAll(TokenShard s, byte[] b, int iter) {
    int[] all = new int[(int) s.size()];
    try {
      s.read(0, all);
    } catch (UncheckedIOException e) {
      assertTrue(e.getCause() instanceof ShardFormatException, "mutation " + iter + ": " + e);
      return;
    }
    int[] expect = new int[all.length];
    for (int i = 0; i < expect.length; i++) {
      int at = 32 + i * s.header().width();
      expect[i] = s.header().width() == 2 ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8
          : (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
    assertArrayEquals(expect, all, "mutation " + iter);
  }

  /** One to four changes: a random byte set, a byte's bit flipped, or the file cut or extended. */
  private static byte[] mutate(byte[] valid, Random r) {
    byte[] b = valid.clone();
    for (int m = 1 + r.nextInt(4); m > 0; m--) {
      int kind = r.nextInt(10);
      if (kind < 5) {
        b[r.nextInt(Math.min(b.length, 36))] = (byte) r.nextInt(256);
      } else if (kind < 8 && b.length > 0) {
        int at = r.nextInt(b.length);
        b[at] ^= (byte) (1 << r.nextInt(8));
      } else {
        b = Arrays.copyOf(b, Math.max(0, b.length + r.nextInt(9) - 4));
      }
      if (b.length == 0) {
        break;
      }
    }
    return b;
  }
}

package io.statex.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Test helpers: random token arrays and raw shard bytes written without the writer. */
final class ShardFiles {
  private ShardFiles() {}

  /** n ids in [0, bound), with the extremes 0 and bound - 1 forced in when n allows. */
  static int[] randomTokens(Random r, int n, long bound) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = (int) (r.nextDouble() * bound);
    }
    if (n >= 2) {
      t[r.nextInt(n)] = 0;
      t[r.nextInt(n)] = (int) (bound - 1);
    }
    return t;
  }

  /**
   * A shard's bytes laid out by hand from the format description (independent of the writer). The
   * tokens are stored as uint16 when width is 2 and as uint32 otherwise, whatever width declares.
   */
  static byte[] raw(byte[] magic, int version, int width, long count, int vocab, int eos, int[] tokens) {
    int stored = width == 2 ? 2 : 4;
    ByteBuffer b = ByteBuffer.allocate(32 + tokens.length * stored).order(ByteOrder.LITTLE_ENDIAN);
    b.put(magic).putInt(version).putInt(width).putLong(count).putInt(vocab).putInt(eos);
    for (int t : tokens) {
      if (stored == 2) {
        b.putShort((short) t);
      } else {
        b.putInt(t);
      }
    }
    return b.array();
  }

  static byte[] magic() {
    return "STXTOKEN".getBytes(StandardCharsets.US_ASCII);
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
    return file;
  }
}

package io.statex.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One token shard, memory-mapped for reading (format in {@link TokenShardHeader}; written by
 * {@link TokenShardWriter}).
 *
 * <p>The file is untrusted: {@link #open} reads the header and checks magic, version, width, count,
 * vocabulary and EOS, and that count x width equals the bytes after the header, before it maps
 * anything; a broken file is a {@link ShardFormatException} naming the field. Ids are checked
 * against the bound (the recorded vocabulary, else the width's range) as they are read: an id out of
 * bound is an {@link UncheckedIOException} wrapping a ShardFormatException, and {@link #checkTokens}
 * scans the whole shard on request.
 *
 * <p>A mapping holds at most 2^31 - 1 bytes, so the payload is mapped in windows (1 GiB by
 * default, a multiple of 4 bytes so no token straddles two). The channel is closed once mapped; the
 * mappings live until the shard is unreachable. A file truncated by someone else while it is mapped
 * can still fault on access: shards are meant to be immutable once renamed into place.
 */
public final class TokenShard implements TokenSource, AutoCloseable {
  public static final long DEFAULT_WINDOW_BYTES = 1L << 30;

  private final Path path;
  private final TokenShardHeader header;
  private final long windowBytes;
  private final long bound;
  private volatile ByteBuffer[] windows;

  private TokenShard(Path path, TokenShardHeader header, long windowBytes, ByteBuffer[] windows) {
    this.path = path;
    this.header = header;
    this.windowBytes = windowBytes;
    this.bound = header.idBound();
    this.windows = windows;
  }

  public static TokenShard open(Path file) throws IOException {
    return open(file, DEFAULT_WINDOW_BYTES);
  }

  /** Opens with mapping windows of windowBytes (a multiple of 4 in [4, 2^30]; small values serve tests). */
  public static TokenShard open(Path file, long windowBytes) throws IOException {
    if (windowBytes < 4 || windowBytes > DEFAULT_WINDOW_BYTES || windowBytes % 4 != 0) {
      throw new IllegalArgumentException("windowBytes: expected a multiple of 4 in [4, 2^30], found " + windowBytes);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      TokenShardHeader header = TokenShardHeader.decode(readHead(ch, size), size, file);
      return new TokenShard(file, header, windowBytes, map(ch, header.payloadBytes(), windowBytes));
    }
  }

  /** The file's first min(size, 32) bytes (short reads retried). */
  private static ByteBuffer readHead(FileChannel ch, long size) throws IOException {
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, TokenShardHeader.BYTES));
    while (head.hasRemaining()) {
      if (ch.read(head, head.position()) < 0) {
        break;
      }
    }
    return head.flip();
  }

  private static ByteBuffer[] map(FileChannel ch, long payload, long windowBytes) throws IOException {
    int n = (int) ((payload + windowBytes - 1) / windowBytes);
    ByteBuffer[] w = new ByteBuffer[n];
    for (int k = 0; k < n; k++) {
      long start = k * windowBytes;
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, TokenShardHeader.BYTES + start, Math.min(windowBytes, payload - start));
      w[k] = m.order(ByteOrder.LITTLE_ENDIAN);
    }
    return w;
  }

  public Path path() {
    return path;
  }

  public TokenShardHeader header() {
    return header;
  }

  @Override
  public long size() {
    return header.count();
  }

  @Override
  public int vocabSize() {
    return header.vocabSize();
  }

  @Override
  public int eosId() {
    return header.eosId();
  }

  @Override
  public int get(long i) {
    Ranges.checkIndex(i, header.count());
    long byteOffset = i * header.width();
    return checked(windows()[(int) (byteOffset / windowBytes)], (int) (byteOffset % windowBytes), i);
  }

  @Override
  public void read(long start, int[] dst, int off, int len) {
    Ranges.checkRead(start, dst, off, len, header.count());
    ByteBuffer[] w = windows();
    int width = header.width();
    while (len > 0) {
      long byteOffset = start * width;
      ByteBuffer window = w[(int) (byteOffset / windowBytes)];
      int pos = (int) (byteOffset % windowBytes);
      int n = Math.min(len, (window.limit() - pos) / width);
      for (int k = 0; k < n; k++) {
        dst[off + k] = checked(window, pos + k * width, start + k);
      }
      start += n;
      off += n;
      len -= n;
    }
  }

  /** Scans every id against the bound; the first one out of it is reported with its index. */
  public void checkTokens() throws ShardFormatException {
    int[] chunk = new int[1 << 16];
    try {
      for (long s = 0; s < size(); s += chunk.length) {
        read(s, chunk, 0, (int) Math.min(chunk.length, size() - s));
      }
    } catch (UncheckedIOException e) {
      throw (ShardFormatException) e.getCause();
    }
  }

  /** Releases the mappings for the collector; later reads fail. */
  @Override
  public void close() {
    windows = null;
  }

  private int checked(ByteBuffer window, int pos, long index) {
    int id = header.width() == 2 ? Short.toUnsignedInt(window.getShort(pos)) : window.getInt(pos);
    if (id < 0 || id >= bound) {
      throw new UncheckedIOException(new ShardFormatException(path, "token", "the id at index " + index + " is "
          + Integer.toUnsignedString(id) + ", expected 0 <= id < " + bound
          + (header.vocabSize() > 0 ? " (the recorded vocabulary)" : " (the width's range)")));
    }
    return id;
  }

  private ByteBuffer[] windows() {
    ByteBuffer[] w = windows;
    if (w == null) {
      throw new IllegalStateException("token shard " + path + " is closed");
    }
    return w;
  }

  @Override
  public String toString() {
    return "TokenShard[" + path + ", " + header + "]";
  }
}

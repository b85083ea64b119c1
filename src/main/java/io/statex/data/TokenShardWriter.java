package io.statex.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Streams token ids into a new shard (format in {@link TokenShardHeader}). Tokens go to a temporary
 * file beside the target; {@link #close} writes the header with the final count, forces the file to
 * disk and renames it over the target atomically, so a reader never sees a half-written shard and a
 * crash leaves at most a stray temporary file. An id that does not fit the width (or is not below
 * the recorded vocabulary) is rejected before anything of its call is written. Not thread-safe.
 *
 * <pre>{@code
 * try (TokenShardWriter w = TokenShardWriter.create(path, 2, 32000, 2)) {
 *   w.append(documentIds);
 *   w.append(2);
 * }
 * }</pre>
 */
public final class TokenShardWriter implements AutoCloseable {
  private static final int BUFFER_BYTES = 1 << 16;

  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final int width;
  private final int vocabSize;
  private final int eosId;
  private final long bound;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private long count;
  private long filePosition = TokenShardHeader.BYTES;
  private boolean finished;

  private TokenShardWriter(Path target, Path temp, FileChannel channel, TokenShardHeader shape) {
    this.target = target;
    this.temp = temp;
    this.channel = channel;
    this.width = shape.width();
    this.vocabSize = shape.vocabSize();
    this.eosId = shape.eosId();
    this.bound = shape.idBound();
  }

  /**
   * Opens a writer for target. width is 2 (uint16) or 4 (uint32); vocabSize is 0 when not recorded;
   * eosId is -1 when there is none. Invalid settings are an IllegalArgumentException naming them.
   */
  public static TokenShardWriter create(Path target, int width, int vocabSize, int eosId) throws IOException {
    Objects.requireNonNull(target, "target");
    TokenShardHeader shape = TokenShardHeader.of(width, 0, vocabSize, eosId);
    Path abs = target.toAbsolutePath();
    Path temp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
    try {
      FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      return new TokenShardWriter(abs, temp, ch, shape);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /** Writes a whole shard in one call. */
  public static void write(Path target, int width, int vocabSize, int eosId, int[] tokens) throws IOException {
    try (TokenShardWriter w = create(target, width, vocabSize, eosId)) {
      w.append(tokens);
    }
  }

  public void append(int id) throws IOException {
    ensureOpen();
    checkId(id, count);
    put(id);
  }

  public void append(int[] ids) throws IOException {
    append(ids, 0, ids.length);
  }

  /** Appends ids[off, off + len); nothing is written when one of them is rejected. */
  public void append(int[] ids, int off, int len) throws IOException {
    ensureOpen();
    Ranges.checkSlice("ids", ids, off, len);
    for (int i = 0; i < len; i++) {
      checkId(ids[off + i], count + i);
    }
    for (int i = 0; i < len; i++) {
      put(ids[off + i]);
    }
  }

  /** Tokens appended so far. */
  public long count() {
    return count;
  }

  /** Commits: header, fsync, atomic rename over the target. A failure removes the temporary file. */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try (FileChannel ch = channel) {
      flush();
      writeFully(TokenShardHeader.of(width, count, vocabSize, eosId).encode(), 0);
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    moveIntoPlace();
  }

  /** Drops everything written: the target is left as it was. */
  public void abort() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private void checkId(int id, long index) {
    if (id < 0 || id >= bound) {
      throw new IllegalArgumentException("token id at index " + index + ": expected 0 <= id < " + bound + " (width " + width
          + (vocabSize > 0 ? ", vocab " + vocabSize : "") + "), found " + id);
    }
  }

  private void put(int id) throws IOException {
    if (buffer.remaining() < width) {
      flush();
    }
    if (width == 2) {
      buffer.putShort((short) id);
    } else {
      buffer.putInt(id);
    }
    count++;
  }

  private void flush() throws IOException {
    buffer.flip();
    filePosition += writeFully(buffer, filePosition);
    buffer.clear();
  }

  private int writeFully(ByteBuffer b, long position) throws IOException {
    int n = 0;
    while (b.hasRemaining()) {
      n += channel.write(b, position + n);
    }
    return n;
  }

  private void moveIntoPlace() throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException(target + ": the file system cannot rename atomically; shards are only ever replaced whole", e);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    syncDirectory(target.getParent());
  }

  /** Makes the rename durable. Only POSIX systems can open a directory for fsync; elsewhere the rename stands as is. */
  private static void syncDirectory(Path dir) throws IOException {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private void ensureOpen() {
    if (finished) {
      throw new IllegalStateException("token shard writer for " + target + " is closed");
    }
  }
}

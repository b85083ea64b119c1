package io.statex.io.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that a crash leaves either the old file or the complete new one under its
 * name: the bytes go to a temporary file beside it, are forced to disk, and the temporary file is
 * renamed over the target (atomic on POSIX file systems); then the directory is forced, so the
 * rename itself survives a crash. Public for the other file writers of io (configs beside the weights).
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Writes bytes as the whole new content of target. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, ch -> ChannelIo.writeFully(ch, ByteBuffer.wrap(bytes)));
  }

  /** What goes into the file. */
  @FunctionalInterface
  interface Body {
    void writeTo(FileChannel channel) throws IOException;
  }

  static void write(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = createTemporary(dir, target.getFileName().toString());
    boolean renamed = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        body.writeTo(ch);
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      renamed = true;
      syncDirectory(dir);
    } finally {
      if (!renamed) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /** Forces a directory's entries to disk (how POSIX makes a rename or an unlink durable). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** A new hidden file ".name.<random>.tmp" in dir, with the permissions a plain new file gets. */
  private static Path createTemporary(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      byte[] r = new byte[8];
      ThreadLocalRandom.current().nextBytes(r);
      Path tmp = dir.resolve("." + name + "." + HexFormat.of().formatHex(r) + ".tmp");
      try {
        Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 8) {
          throw e;
        }
      }
    }
  }
}

package io.statex.io.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Whole-buffer reads and writes on a file channel, which may move fewer bytes per call than asked. */
final class ChannelIo {
  private ChannelIo() {}

  /** Fills into from the file at position; a file that ends first is a SafetensorsException. */
  static void readFully(Path file, FileChannel channel, ByteBuffer into, long position) throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int got = channel.read(into, at);
      if (got < 0) {
        throw new SafetensorsException(file, null, "the file ended at byte " + at + ", before byte " + (at + into.remaining()) + " (was it truncated while open?)");
      }
      at += got;
    }
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}

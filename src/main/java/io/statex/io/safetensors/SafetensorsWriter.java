package io.statex.io.safetensors;

import io.statex.backend.Backends;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one safetensors file that the reference library reads back: tensors of any of our dtypes
 * on any device (copied to the host a tensor at a time, and streamed to the file in chunks), plus
 * a string metadata map. The layout and header follow the reference writer ({@link HeaderWriter}:
 * tensors by descending dtype rank then name, header padded with spaces to 8 bytes). The file is
 * written to a temporary name, forced to disk and renamed over the target ({@link AtomicFile}), so
 * a crash never leaves a partial file under the target's name.
 *
 * <pre>{@code
 * new SafetensorsWriter().metadata("format", "pt").put("embed.weight", w).write(path);
 * }</pre>
 */
public final class SafetensorsWriter {
  /** Bytes copied from a host tensor to the file per step. */
  private static final int CHUNK_BYTES = 1 << 22;

  private final NamedTensors contents = new NamedTensors();

  /** Adds a tensor (not copied until {@link #write}: keep it open until then). */
  public SafetensorsWriter put(String name, Tensor tensor) {
    contents.put(name, tensor);
    return this;
  }

  public SafetensorsWriter metadata(String key, String value) {
    contents.metadata(key, value);
    return this;
  }

  public SafetensorsWriter metadata(Map<String, String> entries) {
    entries.forEach(contents::metadata);
    return this;
  }

  /** Writes the file (replacing target atomically if it exists). */
  public void write(Path target) throws IOException {
    writeFile(target, contents.tensors(), contents.metadata());
  }

  /** One file from tensors (any order: the file's order is the reference's) and metadata. */
  static void writeFile(Path target, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    HostOrder.requireLittleEndian();
    List<HeaderWriter.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      entries.add(new HeaderWriter.Entry(e.getKey(), SafetensorsDType.of(t.dtype()), t.shape(), byteSize(t)));
    }
    List<HeaderWriter.Entry> ordered = HeaderWriter.order(entries);
    byte[] header = HeaderWriter.encode(ordered, metadata);
    if (header.length > Header.MAX_HEADER_BYTES) {
      throw new SafetensorsException(target, null, "header would be " + header.length + " bytes, over the limit of " + Header.MAX_HEADER_BYTES + " that readers accept");
    }
    AtomicFile.write(target, ch -> {
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
      ChannelIo.writeFully(ch, length);
      ChannelIo.writeFully(ch, ByteBuffer.wrap(header));
      for (HeaderWriter.Entry e : ordered) {
        writeData(ch, tensors.get(e.name()));
      }
    });
  }

  static long byteSize(Tensor t) {
    return Math.multiplyExact(t.numel(), (long) t.dtype().size());
  }

  /** The tensor's elements in row-major order, as host bytes, streamed to the channel. */
  private static void writeData(FileChannel ch, Tensor t) throws IOException {
    try (Tensor c = t.contiguous();
        Tensor host = c.to(Device.CPU)) {
      long total = byteSize(host);
      byte[] buf = new byte[(int) Math.min(CHUNK_BYTES, total)];
      for (long off = 0; off < total; off += buf.length) {
        int n = (int) Math.min(buf.length, total - off);
        Backends.cpu().readToArray(buf, host.address() + off, n);
        ChannelIo.writeFully(ch, ByteBuffer.wrap(buf, 0, n));
      }
    }
  }
}

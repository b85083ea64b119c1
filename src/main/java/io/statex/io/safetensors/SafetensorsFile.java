package io.statex.io.safetensors;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: the header is read and validated once (see {@link
 * Header} for the rules, all of them checked before anything is loaded), then tensors are loaded
 * one at a time, on demand, from a memory mapping of their bytes.
 *
 * <p>Element types. {@link #load} gives F32, BF16, I32 and I64 tensors as they are stored. Other
 * types are converted: F16, F64, F8_E4M3 and F8_E5M2 become F32; BOOL, U8, I8, I16, U16 and U32
 * become I32; U64 becomes I64. Conversions are exact where the target holds the value and checked
 * where it may not: a U32 or U64 element past the target's range, a finite F64 that would round to
 * infinity in F32, or a BOOL byte other than 0 and 1 is a {@link SafetensorsException} naming the
 * tensor and element. {@link #loadAs} picks the target: F32 or BF16 for floats (rounded to nearest
 * even, once), I32 or I64 for integers (range-checked). F4, F6_*, F8_E8M0, the FNUZ FP8 variants
 * and C64 are recognised in a header but cannot be loaded.
 *
 * <p>Loads may run on several threads at once; {@link #close} must come after the last one.
 */
public final class SafetensorsFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final Header header;
  private final Map<String, TensorInfo> byName;
  private final TensorLoader loader;

  private SafetensorsFile(Path path, FileChannel channel, Header header) {
    this.path = path;
    this.channel = channel;
    this.header = header;
    Map<String, TensorInfo> m = new LinkedHashMap<>();
    for (TensorInfo t : header.tensors()) {
      m.put(t.name(), t);
    }
    this.byName = Collections.unmodifiableMap(m);
    this.loader = new TensorLoader(path, channel, header.dataStart());
  }

  /** Opens and validates the file; a file that breaks a rule is a {@link SafetensorsException}. */
  public static SafetensorsFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      return new SafetensorsFile(path, channel, Header.read(path, channel));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Tensor names, sorted. */
  public List<String> names() {
    List<String> names = new ArrayList<>(byName.keySet());
    Collections.sort(names);
    return names;
  }

  /** Every tensor's description, in the order of their bytes in the file. */
  public List<TensorInfo> tensors() {
    return header.tensors();
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** The header's description of a tensor; IllegalArgumentException if the file has none by that name. */
  public TensorInfo info(String name) {
    TensorInfo t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor " + SafetensorsException.quoteName(name) + " in " + path + " (it holds " + byName.size() + " tensors)");
    }
    return t;
  }

  /** The header's {@code __metadata__} string map (empty when absent). */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** File offset of the data buffer (8 + the header length); data_offsets count from here. */
  public long dataStart() {
    return header.dataStart();
  }

  /** The tensor on device, in the dtype its stored type loads as (see the class comment). */
  public Tensor load(String name, Device device) throws IOException {
    TensorInfo t = info(name);
    DType target = t.dtype().loadsAs();
    if (target == null) {
      throw TensorLoader.unloadable(path, t);
    }
    return loadAs(name, target, device);
  }

  /** The tensor on device as dtype: F32 or BF16 for stored floats, I32 or I64 for integers and BOOL. */
  public Tensor loadAs(String name, DType dtype, Device device) throws IOException {
    TensorInfo t = info(name);
    if (!channel.isOpen()) {
      throw new IllegalStateException(path + " is closed");
    }
    try (Tensor host = loader.load(t, dtype)) {
      return host.to(device);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return "SafetensorsFile(" + path + ", " + byName.size() + " tensors)";
  }
}

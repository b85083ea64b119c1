package io.statex.io.safetensors;

import io.statex.backend.Backends;
import io.statex.backend.CpuBackend;
import io.statex.tensor.Bf16;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Copies one tensor's bytes from a safetensors file into a new host tensor, converting the element
 * type on the way. A tensor larger than one chunk is memory-mapped a window at a time (so tensors
 * and files past 2 GiB load); a smaller one is read with one positional read. Bytes are copied and
 * converted a chunk at a time, so the Java heap holds a few MiB whatever the tensor's size.
 * Same-type loads copy the bytes as they are; conversions read each element exactly (as a double
 * or a long) and round or range-check it once, so a value the target cannot hold is an error
 * naming its index, never a silent wrap or infinity.
 */
final class TensorLoader {
  /** Bytes read and converted per step. */
  private static final int CHUNK_BYTES = 1 << 20;
  /** Bytes mapped at once. */
  private static final long WINDOW_BYTES = 1L << 28;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final int chunkBytes;
  private final long windowBytes;

  TensorLoader(Path file, FileChannel channel, long dataStart) {
    this(file, channel, dataStart, CHUNK_BYTES, WINDOW_BYTES);
  }

  /**
   * @param chunkBytes a multiple of 8, so a chunk never splits an element
   * @param windowBytes a multiple of chunkBytes (tests pass tiny sizes to cross every boundary)
   */
  TensorLoader(Path file, FileChannel channel, long dataStart, int chunkBytes, long windowBytes) {
    HostOrder.requireLittleEndian();
    if (chunkBytes <= 0 || chunkBytes % 8 != 0 || windowBytes % chunkBytes != 0) {
      throw new IllegalArgumentException("chunkBytes " + chunkBytes + " must be a positive multiple of 8 and windowBytes " + windowBytes + " a multiple of it");
    }
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.chunkBytes = chunkBytes;
    this.windowBytes = windowBytes;
  }

  /** A new CPU tensor of dtype target holding info's elements. */
  Tensor load(TensorInfo info, DType target) throws IOException {
    checkConvertible(info, target);
    Tensor out = allocate(info, target);
    try {
      copy(info, target, out);
      return out;
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  private void checkConvertible(TensorInfo info, DType target) throws SafetensorsException {
    SafetensorsDType src = info.dtype();
    if (src.loadsAs() == null) {
      throw unloadable(file, info);
    }
    if ((src.kind() == SafetensorsDType.Kind.FLOAT) != target.isFloat()) {
      throw new IllegalArgumentException("tensor " + SafetensorsException.quoteName(info.name()) + " of " + file + " is " + src + " and cannot be loaded as " + target
          + ": floats load as F32 or BF16, integers and BOOL as I32 or I64");
    }
  }

  /** The error for a dtype no tensor of ours holds. */
  static SafetensorsException unloadable(Path file, TensorInfo info) {
    List<SafetensorsDType> loadable = Arrays.stream(SafetensorsDType.values()).filter(d -> d.loadsAs() != null).toList();
    return new SafetensorsException(file, info.name(), "dtype " + info.dtype() + " cannot be loaded: no tensor dtype holds it (loadable: " + loadable + ")");
  }

  private Tensor allocate(TensorInfo info, DType target) throws SafetensorsException {
    try {
      return Tensor.empty(target, Device.CPU, info.shape());
    } catch (IllegalArgumentException e) {
      throw new SafetensorsException(file, info.name(), "no tensor can hold this shape: " + e.getMessage(), e);
    }
  }

  private void copy(TensorInfo info, DType target, Tensor out) throws IOException {
    long total = info.byteSize();
    long at = dataStart + info.begin();
    if (total == 0) {
      return;
    }
    long size = channel.size();
    if (size < at + total) {
      throw new SafetensorsException(file, info.name(), "the file is now " + size + " bytes, too short for bytes up to " + (at + total) + " (it changed after it was opened)");
    }
    Chunk chunk = new Chunk(info, target, (int) Math.min(chunkBytes, total), out);
    if (total <= chunkBytes) {
      // One chunk: a positional read costs less than a mapping, which the JVM only releases at a
      // later garbage collection (a checkpoint's many small tensors would each hold one till then).
      ChannelIo.readFully(file, channel, ByteBuffer.wrap(chunk.raw), at);
      chunk.convert(0, (int) total);
      return;
    }
    for (long done = 0; done < total; ) {
      long window = Math.min(windowBytes, total - done);
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, at + done, window);
      while (map.hasRemaining()) {
        int n = Math.min(chunk.raw.length, map.remaining());
        map.get(chunk.raw, 0, n);
        chunk.convert(done, n);
        done += n;
      }
    }
  }

  /** The buffers of one load and the conversion of one chunk of source bytes. */
  private final class Chunk {
    private final TensorInfo info;
    private final SafetensorsDType src;
    private final DType target;
    private final long address;
    private final int srcSize;
    private final byte[] raw;
    private final ByteBuffer in;
    private final CpuBackend cpu = Backends.cpu();
    private final boolean same;
    private float[] f32;
    private short[] bf16;
    private int[] i32;
    private long[] i64;

    Chunk(TensorInfo info, DType target, int bytes, Tensor out) {
      this.info = info;
      this.src = info.dtype();
      this.target = target;
      this.address = out.address();
      this.srcSize = src.bits() / 8;
      this.raw = new byte[bytes];
      this.in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
      this.same = src == SafetensorsDType.of(target);
      int elements = bytes / srcSize;
      if (!same) {
        switch (target) {
          case F32 -> f32 = new float[elements];
          case BF16 -> bf16 = new short[elements];
          case I32 -> i32 = new int[elements];
          case I64 -> i64 = new long[elements];
          default -> throw new IllegalStateException("unhandled dtype " + target);
        }
      }
    }

    /** Converts raw[0, n), the source bytes from byte offset srcOffset of the tensor, into the output. */
    void convert(long srcOffset, int n) throws SafetensorsException {
      if (same) {
        cpu.writeFromArray(address + srcOffset, raw, n);
        return;
      }
      long first = srcOffset / srcSize;
      int count = n / srcSize;
      long dst = address + first * target.size();
      long bytes = (long) count * target.size();
      switch (target) {
        case F32 -> {
          toF32(first, count);
          cpu.writeFromArray(dst, f32, bytes);
        }
        case BF16 -> {
          toBf16(first, count);
          cpu.writeFromArray(dst, bf16, bytes);
        }
        case I32 -> {
          toI32(first, count);
          cpu.writeFromArray(dst, i32, bytes);
        }
        case I64 -> {
          toI64(first, count);
          cpu.writeFromArray(dst, i64, bytes);
        }
        default -> throw new IllegalStateException("unhandled dtype " + target);
      }
    }

    private void toF32(long first, int count) throws SafetensorsException {
      for (int i = 0; i < count; i++) {
        double v = floatAt(i);
        float f = (float) v;
        if (Float.isInfinite(f) && !Double.isInfinite(v) && !Double.isNaN(v)) {
          throw outOfRange(first + i, Double.toString(v));
        }
        f32[i] = f;
      }
    }

    private void toBf16(long first, int count) throws SafetensorsException {
      for (int i = 0; i < count; i++) {
        double v = floatAt(i);
        short b = Floats.doubleToBf16(v);
        if (Float.isInfinite(Bf16.toFloat(b)) && !Double.isInfinite(v) && !Double.isNaN(v)) {
          throw outOfRange(first + i, Double.toString(v));
        }
        bf16[i] = b;
      }
    }

    private void toI32(long first, int count) throws SafetensorsException {
      for (int i = 0; i < count; i++) {
        long v = integerAt(first, i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw outOfRange(first + i, Long.toString(v));
        }
        i32[i] = (int) v;
      }
    }

    private void toI64(long first, int count) throws SafetensorsException {
      for (int i = 0; i < count; i++) {
        i64[i] = integerAt(first, i);
      }
    }

    /** Element i of the chunk, exactly, as a double. */
    private double floatAt(int i) {
      switch (src) {
        case F16:
          return Floats.halfToFloat(in.getShort(2 * i));
        case BF16:
          return Bf16.toFloat(in.getShort(2 * i));
        case F32:
          return in.getFloat(4 * i);
        case F64:
          return in.getDouble(8 * i);
        case F8_E4M3:
          return Floats.e4m3ToFloat(in.get(i));
        case F8_E5M2:
          return Floats.e5m2ToFloat(in.get(i));
        default:
          throw new IllegalStateException("not a loadable float dtype: " + src);
      }
    }

    /** Element i of the chunk as a long; U64 values past 2^63 - 1 and BOOL bytes past 1 are errors. */
    private long integerAt(long first, int i) throws SafetensorsException {
      switch (src) {
        case BOOL: {
          int b = in.get(i) & 0xff;
          if (b > 1) {
            throw new SafetensorsException(file, info.name(), "BOOL element " + (first + i) + " is the byte " + b + ", expected 0 or 1");
          }
          return b;
        }
        case U8:
          return in.get(i) & 0xff;
        case I8:
          return in.get(i);
        case I16:
          return in.getShort(2 * i);
        case U16:
          return in.getShort(2 * i) & 0xffff;
        case I32:
          return in.getInt(4 * i);
        case U32:
          return in.getInt(4 * i) & 0xffffffffL;
        case I64:
          return in.getLong(8 * i);
        case U64: {
          long v = in.getLong(8 * i);
          if (v < 0) {
            throw outOfRange(first + i, Long.toUnsignedString(v));
          }
          return v;
        }
        default:
          throw new IllegalStateException("not a loadable integer dtype: " + src);
      }
    }

    private SafetensorsException outOfRange(long index, String value) {
      return new SafetensorsException(file, info.name(), "element " + index + " is " + value + ", outside the range of " + target + " (loading " + src + " as " + target + ")");
    }
  }
}

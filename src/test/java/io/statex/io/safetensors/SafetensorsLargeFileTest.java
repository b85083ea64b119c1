package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets past 2^31 and tensors split over several mappings and chunks. A sparse file gives the
 * large offsets without writing gigabytes; tiny window and chunk sizes make every tensor cross many
 * boundaries in a small file.
 */
class SafetensorsLargeFileTest {
  @TempDir Path dir;

  @Test
  void tensorsPastTwoGibibytesLoad() throws IOException {
    long pad = (1L << 31) - 6; // "mid" straddles data offset 2^31
    String header = "{\"pad\":{\"dtype\":\"U8\",\"shape\":[" + pad + "],\"data_offsets\":[0," + pad + "]},"
        + "\"mid\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[" + pad + "," + (pad + 16) + "]},"
        + "\"tail\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[" + (pad + 16) + "," + (pad + 40) + "]}}";
    byte[] head = SpecFile.assemble(header, new byte[0]);
    Path file = dir.resolve("sparse.safetensors");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(head);
      raf.seek(head.length + pad); // the gap stays a hole: the file takes no space for it
      raf.write(SpecFile.le(1.5f, -2f, 3.25f, 1e30f));
      raf.write(SpecFile.le(-7L, 1L << 62, 42L));
    }
    try (SafetensorsFile f = SafetensorsFile.open(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        TensorScope scope = TensorScope.open()) {
      assertTrue(f.dataStart() + f.info("tail").end() > (1L << 31));
      assertEquals(pad, f.info("pad").byteSize());
      float[] mid = {1.5f, -2f, 3.25f, 1e30f};
      long[] tail = {-7L, 1L << 62, 42L};
      assertArrayEquals(mid, f.load("mid", Device.CPU).toFloatArray()); // small: one positional read
      assertArrayEquals(tail, f.load("tail", Device.CPU).toLongArray());
      TensorLoader mapping = new TensorLoader(file, ch, f.dataStart(), 8, 8); // forces the mapped path
      assertArrayEquals(mid, mapping.load(f.info("mid"), DType.F32).toFloatArray());
      assertArrayEquals(tail, mapping.load(f.info("tail"), DType.I64).toLongArray());
    }
  }

  @Test
  void tinyWindowsAndChunksGiveTheSameTensors() throws IOException {
    Random r = new Random(Seeds.fresh("tinyWindowsAndChunksGiveTheSameTensors"));
    short[] f16 = new short[1001];
    double[] f64 = new double[333];
    byte[] u8 = new byte[999];
    int[] i32 = new int[517];
    for (int i = 0; i < f16.length; i++) {
      f16[i] = (short) r.nextInt(0x7c00); // finite positive halves
    }
    for (int i = 0; i < f64.length; i++) {
      f64[i] = r.nextGaussian() * 1e3;
    }
    r.nextBytes(u8);
    for (int i = 0; i < i32.length; i++) {
      i32[i] = r.nextInt();
    }
    Path file = new SpecFile()
        .add("a", "U8", new long[] {999}, u8)
        .add("b", "F16", new long[] {7, 11, 13}, SpecFile.le(f16))
        .add("c", "F64", new long[] {333}, SpecFile.le(f64))
        .add("d", "I32", new long[] {11, 47}, SpecFile.le(i32))
        .writeTo(dir.resolve("windows.safetensors"));
    try (SafetensorsFile f = SafetensorsFile.open(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        TensorScope scope = TensorScope.open()) {
      TensorLoader tiny = new TensorLoader(file, ch, f.dataStart(), 8, 24);
      for (TensorInfo t : f.tensors()) {
        for (DType target : t.dtype().kind() == SafetensorsDType.Kind.FLOAT ? new DType[] {DType.F32, DType.BF16} : new DType[] {DType.I32, DType.I64}) {
          Tensor whole = f.loadAs(t.name(), target, Device.CPU);
          Tensor pieces = tiny.load(t, target);
          SafetensorsRoundTripTest.assertSameBits(t.name() + " as " + target + " " + Seeds.describe(), whole, pieces);
        }
      }
      assertArrayEquals(i32, f.load("d", Device.CPU).toIntArray());
    }
  }
}

package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files: thousands of seeded mutations of one small valid file. Whatever the mutation,
 * opening and loading every tensor must either succeed (the mutation was harmless) or throw a
 * {@link SafetensorsException}; any other exception, an error, or running out of memory fails.
 */
class SafetensorsFuzzTest {
  private static final int CASES = 4000;

  @TempDir Path dir;

  @Test
  void everyTruncationIsRejected() throws IOException {
    byte[] base = base().bytes();
    for (int len = 0; len < base.length; len++) {
      Path file = Files.write(dir.resolve("t" + len + ".safetensors"), Arrays.copyOf(base, len));
      int at = len;
      assertThrows(SafetensorsException.class, () -> exercise(file, true), () -> "truncated to " + at + " of " + base.length + " bytes");
      Files.delete(file);
    }
    exercise(Files.write(dir.resolve("whole.safetensors"), base), true); // the untouched file is valid
  }

  @Test
  void seededMutationsEndInSafetensorsExceptionOrAValidRead() throws IOException {
    long seed = Seeds.fresh("seededMutationsEndInSafetensorsExceptionOrAValidRead");
    Random r = new Random(seed);
    SpecFile spec = base();
    byte[] base = spec.bytes();
    String json = spec.headerJson();
    int headerEnd = 8 + (int) ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    byte[] data = Arrays.copyOfRange(base, headerEnd, base.length);
    List<Function<Random, byte[]>> mutations = List.of(
        g -> flipBytes(g, base, 0, headerEnd),
        g -> setInteresting(g, base, headerEnd),
        g -> shift(g, base, headerEnd),
        g -> SpecFile.assemble(mutateJson(g, json), data),
        g -> withLength(base, hugeLength(g, base.length)),
        g -> flipBytes(g, base, headerEnd, base.length),
        g -> garbage(g),
        g -> SpecFile.assemble(nonUtf8(g, json), data));
    int accepted = 0;
    int rejected = 0;
    for (int i = 0; i < CASES; i++) {
      int kind = r.nextInt(mutations.size());
      byte[] bytes = mutations.get(kind).apply(r);
      Path file = Files.write(dir.resolve("m" + i + ".safetensors"), bytes);
      try {
        exercise(file, i % 4 == 0);
        accepted++;
      } catch (SafetensorsException expected) {
        rejected++;
      } catch (Throwable t) {
        fail("case " + i + " (mutation " + kind + ", " + Seeds.describe() + "): " + t + "\nfile bytes: " + preview(bytes), t);
      }
      Files.delete(file);
    }
    assertTrue(accepted > CASES / 50 && rejected > CASES / 2, "accepted " + accepted + ", rejected " + rejected + ": the mutations miss one of the paths");
  }

  /**
   * Opens the file and loads every tensor in its own dtype and in the other one of its kind; with
   * viaMappings, once more through tiny mapping windows (small tensors are otherwise read, not
   * mapped; mappings are slow to release, hence not on every case).
   */
  private static void exercise(Path file, boolean viaMappings) throws IOException {
    try (SafetensorsFile f = SafetensorsFile.open(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        TensorScope scope = TensorScope.open()) {
      f.metadata();
      TensorLoader mapped = new TensorLoader(file, ch, f.dataStart(), 8, 16);
      for (TensorInfo t : f.tensors()) {
        f.load(t.name(), Device.CPU).toDoubleArray();
        DType other = t.dtype().kind() == SafetensorsDType.Kind.FLOAT ? DType.BF16 : DType.I64;
        f.loadAs(t.name(), other, Device.CPU).toDoubleArray();
        if (viaMappings) {
          mapped.load(t, other).toDoubleArray();
        }
      }
    }
  }

  /** A small file with many dtypes, metadata, a scalar and an empty tensor. */
  private static SpecFile base() {
    return new SpecFile()
        .metadata("format", "pt", "k", "v")
        .add("w.f32", "F32", new long[] {2, 3}, SpecFile.le(1f, -2f, 3.5f, 0f, 1e-3f, 7f))
        .add("w.bf16", "BF16", new long[] {4}, SpecFile.le((short) 0x3f80, (short) 0xc000, (short) 0x0001, (short) 0x7f7f))
        .add("w.f16", "F16", new long[] {3}, SpecFile.le((short) 0x3c00, (short) 0x7bff, (short) 0x0001))
        .add("w.f64", "F64", new long[] {}, SpecFile.le(2.5))
        .add("w.e4m3", "F8_E4M3", new long[] {3}, new byte[] {0x38, 0x7e, (byte) 0xb8})
        .add("i.u8", "U8", new long[] {5}, new byte[] {0, 1, 2, (byte) 200, (byte) 255})
        .add("i.bool", "BOOL", new long[] {2}, new byte[] {0, 1})
        .add("i.u32", "U32", new long[] {1}, SpecFile.le(12345))
        .add("i.i64", "I64", new long[] {2}, SpecFile.le(-1L, 1L << 40))
        .add("empty", "F32", new long[] {0, 2}, new byte[0]);
  }

  private static byte[] flipBytes(Random r, byte[] base, int from, int to) {
    byte[] b = base.clone();
    for (int k = 1 + r.nextInt(4); k > 0; k--) {
      int at = from + r.nextInt(to - from);
      b[at] ^= (byte) (1 << r.nextInt(8));
    }
    return b;
  }

  private static final byte[] INTERESTING = bytes("{}[]\",:-09e.\\ \0\u007f").clone();
  private static final byte[] BAD_UTF8 = {(byte) 0x80, (byte) 0xc0, (byte) 0xed, (byte) 0xf8, (byte) 0xff, (byte) 0xc3};

  private static byte[] setInteresting(Random r, byte[] base, int headerEnd) {
    byte[] b = base.clone();
    int at = 8 + r.nextInt(headerEnd - 8);
    b[at] = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : BAD_UTF8[r.nextInt(BAD_UTF8.length)];
    return b;
  }

  /** Deletes or duplicates one header byte (the length field no longer matches). */
  private static byte[] shift(Random r, byte[] base, int headerEnd) {
    int at = 8 + r.nextInt(headerEnd - 8);
    byte[] b = new byte[base.length + (r.nextBoolean() ? 1 : -1)];
    System.arraycopy(base, 0, b, 0, at);
    if (b.length > base.length) {
      b[at] = base[at];
      System.arraycopy(base, at, b, at + 1, base.length - at);
    } else {
      System.arraycopy(base, at + 1, b, at, base.length - at - 1);
    }
    return b;
  }

  /** A structural edit of the header text, re-assembled with a consistent length field. */
  private static String mutateJson(Random r, String json) {
    switch (r.nextInt(8)) {
      case 0: // a number becomes huge, negative, fractional or past 2^64
        return replaceRandom(r, json, "\\d+", List.of("18446744073709551616", "9223372036854775807", "4611686018427387904", "-1", "1.5", "1e3", "0"));
      case 1: // shapes with enormous element counts
        return replaceRandom(r, json, "\"shape\":\\[[^\\]]*\\]", List.of("\"shape\":[2147483648,2147483648,2147483648]", "\"shape\":[4294967296,4294967296]", "\"shape\":[0,9223372036854775807]", "\"shape\":[1,1,1,1,1,1,1,1,1]"));
      case 2: // offsets past the end, reversed or overlapping
        return replaceRandom(r, json, "\"data_offsets\":\\[\\d+,\\d+\\]", List.of("\"data_offsets\":[0,999999]", "\"data_offsets\":[40,8]", "\"data_offsets\":[0,8]", "\"data_offsets\":[8,16]"));
      case 3: // another dtype name, known or not
        return replaceRandom(r, json, "\"dtype\":\"[A-Z0-9_]+\"", Arrays.stream(SafetensorsDType.values()).map(d -> "\"dtype\":\"" + d + "\"").toList(), List.of("\"dtype\":\"F17\"", "\"dtype\":\"\"", "\"dtype\":null"));
      case 4: // a duplicated key
        return json.replaceFirst("\\{\"", "{\"w.f32\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"");
      case 5: // nesting bombs
        int depth = 1 + r.nextInt(20000);
        return r.nextBoolean() ? "{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}" : "{\"a\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth + 1);
      case 6: // metadata of the wrong shape
        return json.replaceFirst("\"format\":\"pt\"", r.nextBoolean() ? "\"format\":1" : "\"format\":{\"a\":\"b\"}");
      case 7: // unknown or missing fields
        return r.nextBoolean() ? json.replaceFirst("\"dtype\"", "\"dtypo\"") : json.replaceFirst(",\"data_offsets\":\\[\\d+,\\d+\\]", "");
      default: // truncated JSON
        return json.substring(0, r.nextInt(json.length()));
    }
  }

  /** Invalid UTF-8 (a stray continuation byte, an overlong NUL, an encoded surrogate, 0xff) inside a string. */
  private static byte[] nonUtf8(Random r, String json) {
    byte[][] bad = {{(byte) 0x80}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xff}, {(byte) 0xc3}};
    byte[] text = json.getBytes(StandardCharsets.UTF_8);
    int quote = json.indexOf('"', r.nextInt(json.length() - 1));
    int at = quote < 0 ? 1 : quote + 1;
    byte[] insert = bad[r.nextInt(bad.length)];
    byte[] out = new byte[text.length + insert.length];
    System.arraycopy(text, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(text, at, out, at + insert.length, text.length - at);
    return out;
  }

  @SafeVarargs
  private static String replaceRandom(Random r, String s, String regex, List<String>... choices) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(s);
    List<int[]> spans = new java.util.ArrayList<>();
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    if (spans.isEmpty()) {
      return s;
    }
    int[] span = spans.get(r.nextInt(spans.size()));
    List<String> pool = choices[r.nextInt(choices.length)];
    return s.substring(0, span[0]) + pool.get(r.nextInt(pool.size())) + s.substring(span[1]);
  }

  private static long hugeLength(Random r, int fileLength) {
    long[] pool = {-1L, Long.MIN_VALUE, Long.MAX_VALUE, 100_000_001L, 100_000_000L, fileLength - 7L, fileLength - 8L, fileLength, 1L << 32, 0};
    return pool[r.nextInt(pool.length)];
  }

  private static byte[] withLength(byte[] base, long length) {
    byte[] b = base.clone();
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
    return b;
  }

  private static byte[] garbage(Random r) {
    byte[] b = new byte[r.nextInt(64)];
    r.nextBytes(b);
    if (b.length >= 8 && r.nextBoolean()) {
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, r.nextInt(b.length));
    }
    return b;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String preview(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 400), StandardCharsets.ISO_8859_1);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}

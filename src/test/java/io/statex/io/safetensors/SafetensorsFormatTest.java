package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The format as its specification states it: our writer's bytes against a file written out by
 * hand from the rules, the reader on hand-written headers it must accept, and one hand-written
 * header per rule it must refuse, with a message that names the file, the tensor and the rule.
 */
class SafetensorsFormatTest {
  @TempDir Path dir;
  private int files;

  @Test
  void writerOutputIsTheSpecifiedBytes() throws IOException {
    // Layout rule of the reference writer: descending dtype rank (I64 > F32 > I32 > BF16), then
    // name; offsets end to end from 0; __metadata__ first; compact JSON padded with spaces to 8.
    String header = "{\"__metadata__\":{\"format\":\"pt\",\"z\":\"1\"},"
        + "\"b\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[32,32]},"
        + "\"d\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[32,36]},"
        + "\"c\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[36,42]}}";
    int json = header.length(); // ASCII: one byte per character
    int padded = (json + 7) / 8 * 8;
    ByteBuffer expected = ByteBuffer.allocate(8 + padded + 42).order(ByteOrder.LITTLE_ENDIAN);
    expected.putLong(padded).put(header.getBytes(StandardCharsets.US_ASCII));
    for (int i = json; i < padded; i++) {
      expected.put((byte) ' ');
    }
    expected.putLong(1).putLong(-2); // b
    expected.putFloat(1.5f).putFloat(-2f).putFloat(0.25f).putFloat(3f); // a
    expected.putInt(7); // d
    expected.putShort((short) 0x3f80).putShort((short) 0xbf00).putShort((short) 0x4000); // c: 1, -0.5, 2 in bf16

    Path file = dir.resolve("exact.safetensors");
    try (TensorScope scope = TensorScope.open()) {
      new SafetensorsWriter()
          .put("c", Tensor.of(new float[] {1, -0.5f, 2}, 3).to(io.statex.tensor.DType.BF16))
          .put("a", Tensor.of(new float[] {1.5f, -2, 0.25f, 3}, 2, 2))
          .put("d", Tensor.ofInts(new int[] {7}))
          .put("e", Tensor.of(new float[0], 0))
          .put("b", Tensor.ofLongs(new long[] {1, -2}, 2))
          .metadata("z", "1")
          .metadata("format", "pt")
          .write(file);
    }
    assertArrayEquals(expected.array(), Files.readAllBytes(file));
  }

  @Test
  void readerAcceptsWhatTheSpecAllows() throws IOException {
    // Header order unlike data order, no metadata, an empty tensor between two others, a scalar,
    // whitespace inside the JSON and trailing spaces beyond the 8-byte padding.
    String header = "{ \"w\" : {\"data_offsets\":[8,12],\"shape\":[],\"dtype\":\"F32\"},\n"
        + "\"z\":{\"dtype\":\"U8\",\"shape\":[0,5],\"data_offsets\":[8,8]},"
        + "\"v\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}          ";
    ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putFloat(2.5f);
    Path file = write(SpecFile.assemble(header, data.array()));
    try (SafetensorsFile f = SafetensorsFile.open(file);
        TensorScope scope = TensorScope.open()) {
      assertEquals(List.of("v", "w", "z"), f.names());
      assertEquals(List.of("v", "z", "w"), f.tensors().stream().map(TensorInfo::name).toList());
      assertEquals(Map.of(), f.metadata());
      assertArrayEquals(new long[] {-5}, f.load("v", Device.CPU).toLongArray());
      assertEquals(2.5, f.load("w", Device.CPU).item());
      assertArrayEquals(new long[] {0, 5}, f.load("z", Device.CPU).shape());
    }
    try (SafetensorsFile f = SafetensorsFile.open(write(SpecFile.assemble("{}", new byte[0])))) {
      assertEquals(List.of(), f.names());
    }
  }

  @Test
  void lengthFieldAndEncodingRules() throws IOException {
    rejects(new byte[] {1, 2, 3}, null, "3 bytes, shorter than the 8-byte header length");
    rejects(lengthThen(Long.MIN_VALUE + 5, "{}"), null, "header length 9223372036854775813 exceeds the limit of 100000000");
    rejects(lengthThen(100_000_001L, "{}"), null, "exceeds the limit");
    rejects(lengthThen(64, "{}"), null, "header length 64 runs past the end of the file (10 bytes");
    rejects(SpecFile.assemble("[1]", new byte[0]), null, "must start with '{', found U+005B");
    rejects(SpecFile.assemble("", new byte[0]), null, "must start with '{', found an empty header");
    byte[] badUtf8 = SpecFile.assemble("{\"x\u00e9\":1}", new byte[0]);
    badUtf8[8 + 4] = (byte) 0xff;
    rejects(badUtf8, null, "not valid UTF-8");
    rejects(SpecFile.assemble("{\"a\":", new byte[0]), null, "not valid JSON", "unexpected end of input");
    rejects(SpecFile.assemble("{}x", new byte[0]), null, "not valid JSON", "after the top-level value");
    rejects(SpecFile.assemble("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", new byte[0]), null, "nesting deeper than 8");
  }

  @Test
  void entryRules() throws IOException {
    String ok = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    byte[] eight = new byte[8];
    rejectsHeader("{\"x\":" + ok + ",\"x\":" + ok + "}", eight, null, "duplicate key \"x\"");
    rejectsHeader("{\"x\":[1]}", eight, "x", "entry must be an object", "found a array");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", eight, "x", "unknown field \"extra\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", eight, "x", "missing field \"data_offsets\"");
    rejectsHeader("{\"x\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", eight, "x", "dtype must be a string, found a number");
    rejectsHeader("{\"x\":{\"dtype\":\"F17\",\"shape\":[2],\"data_offsets\":[0,8]}}", eight, "x", "unknown dtype \"F17\"");
    rejectsHeader("{\"x\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", eight, "x", "unknown dtype \"f32\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", eight, "x", "shape must be an array of integers, found a number");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", eight, "x", "shape[0] must be an integer in [0, 2^63), found \"-2\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", eight, "x", "found \"2.0\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}}", eight, "x", "found \"2e0\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", eight, "x", "found \"a string\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}}", eight, "x", "shape[0] must be an integer");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", eight, "x", "data_offsets must hold 2 integers");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", eight, "x", "begin is after end");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", eight, "x", "run past the end of the data buffer (8 bytes)");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight, "x", "hold 8 bytes but shape [3] of F32 needs 12");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", eight, "x", "more bits than a 64-bit count holds");
    rejectsHeader("{\"x\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,8]}}", eight, "x", "12 bits, not a whole number of bytes");
  }

  @Test
  void bufferCoverageAndMetadataRules() throws IOException {
    byte[] sixteen = new byte[16];
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
        sixteen, "y", "bytes [4, 12) overlap tensor \"x\" at [0, 8)");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}",
        sixteen, "y", "overlap tensor \"x\"");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"y\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}",
        sixteen, "x", "bytes [0, 4) before this tensor belong to no tensor");
    rejectsHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", sixteen, null, "bytes [8, 16) at the end of the data buffer belong to no tensor");
    rejectsHeader("{\"__metadata__\":[\"a\"]}", new byte[0], null, "__metadata__ must be an object of strings, found a array");
    rejectsHeader("{\"__metadata__\":{\"a\":1}}", new byte[0], null, "__metadata__ value of key \"a\" must be a string, found a number");
  }

  @Test
  void hostileNamesAreQuotedAndCutShortInMessages() throws IOException {
    String name = "evil\\n\\u0000" + "x".repeat(10_000);
    SafetensorsException e = rejectsHeader("{\"" + name + "\":{\"dtype\":\"F17\",\"shape\":[],\"data_offsets\":[0,0]}}", new byte[0], null, "unknown dtype");
    assertTrue(e.getMessage().contains("\"evil\\n\\u0000xxx") && e.getMessage().length() < 1000, e.getMessage());
  }

  // ---------------------------------------------------------------- helpers

  private SafetensorsException rejectsHeader(String header, byte[] data, String tensor, String... fragments) throws IOException {
    return rejects(SpecFile.assemble(header, data), tensor, fragments);
  }

  private SafetensorsException rejects(byte[] bytes, String tensor, String... fragments) throws IOException {
    Path file = write(bytes);
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(file).close());
    String m = e.getMessage();
    assertTrue(m.startsWith(file.toString()), m);
    if (tensor != null) {
      assertTrue(m.contains("tensor \"" + tensor + "\""), m);
    }
    for (String f : fragments) {
      assertTrue(m.contains(f), "missing '" + f + "' in: " + m + " " + Arrays.toString(fragments));
    }
    return e;
  }

  private Path write(byte[] bytes) throws IOException {
    return Files.write(dir.resolve("case" + files++ + ".safetensors"), bytes);
  }

  private static byte[] lengthThen(long length, String rest) {
    byte[] r = rest.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + r.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(r).array();
  }
}

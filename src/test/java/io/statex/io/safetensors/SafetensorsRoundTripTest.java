package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.io.json.Json;
import io.statex.io.json.JsonValue;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import io.statex.testing.Seeds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, load, save again: the same names, metadata, shapes, dtypes and bits, in one file or in shards. */
class SafetensorsRoundTripTest {
  private static final long[][] SHAPES = {{}, {0}, {1}, {7}, {3, 5}, {2, 3, 7}, {4, 0, 3}, {1, 1, 1, 1, 1, 1, 1, 2}};

  @TempDir Path dir;

  @Test
  void everyDtypeAndShapeRoundTripsBitForBit() throws IOException {
    long seed = Seeds.fresh("everyDtypeAndShapeRoundTripsBitForBit");
    Map<String, String> metadata = Map.of("format", "pt", "note", "\u00fcn\u00efcode \"quoted\"\n\ttab \ud83d\ude00", "", "empty key");
    try (TensorScope scope = TensorScope.open()) {
      Map<String, Tensor> tensors = randomTensors(new Random(seed));
      Path first = dir.resolve("first.safetensors");
      SafetensorsWriter writer = new SafetensorsWriter().metadata(metadata);
      tensors.forEach(writer::put);
      writer.write(first);

      Path second = dir.resolve("second.safetensors");
      try (SafetensorsFile f = SafetensorsFile.open(first)) {
        assertEquals(tensors.keySet().stream().sorted().toList(), f.names(), Seeds.describe());
        assertEquals(metadata, f.metadata());
        SafetensorsWriter again = new SafetensorsWriter().metadata(f.metadata());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
          TensorInfo info = f.info(e.getKey());
          assertEquals(SafetensorsDType.of(e.getValue().dtype()), info.dtype(), e.getKey());
          assertArrayEquals(e.getValue().shape(), info.shape(), e.getKey());
          Tensor loaded = f.load(e.getKey(), Device.CPU);
          assertSameBits(e.getKey() + " " + Seeds.describe(), e.getValue(), loaded);
          again.put(e.getKey(), loaded);
        }
        again.write(second);
      }
      assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "save -> load -> save changed the file");
    }
  }

  @Test
  void specialFloatValuesKeepTheirBits() throws IOException {
    float[] specials = {Float.NaN, Float.intBitsToFloat(0x7fc00001), -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE};
    try (TensorScope scope = TensorScope.open()) {
      Tensor t = Tensor.of(specials, specials.length);
      Path file = dir.resolve("specials.safetensors");
      new SafetensorsWriter().put("x", t).write(file);
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        Tensor back = f.load("x", Device.CPU);
        assertArrayEquals(bits(specials), bits(back.toFloatArray()));
      }
    }
  }

  @Test
  void nonContiguousViewsAreWrittenRowMajor() throws IOException {
    long seed = Seeds.fresh("nonContiguousViewsAreWrittenRowMajor");
    try (TensorScope scope = TensorScope.open()) {
      Tensor base = Tensor.uniform(DType.F32, Device.CPU, seed, -1, 1, 5, 6);
      Tensor transposed = base.transpose(0, 1);
      Tensor strided = base.slice(1, 1, 6, 2);
      Path file = dir.resolve("views.safetensors");
      new SafetensorsWriter().put("t", transposed).put("s", strided).write(file);
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        assertSameBits("transposed", transposed.contiguous(), f.load("t", Device.CPU));
        assertSameBits("strided", strided.contiguous(), f.load("s", Device.CPU));
      }
    }
  }

  @Test
  void shardedCheckpointsRoundTripAndReplaceEarlierSaves() throws IOException {
    long seed = Seeds.fresh("shardedCheckpointsRoundTripAndReplaceEarlierSaves");
    try (TensorScope scope = TensorScope.open()) {
      Map<String, Tensor> tensors = randomTensors(new Random(seed));
      tensors.put("big", Tensor.uniform(DType.F32, Device.CPU, seed, -1, 1, 300));
      Path ckpt = dir.resolve("ckpt");

      List<Path> written = writeSharded(tensors, 400, ckpt);
      int shards = written.size() - 1;
      assertTrue(shards >= 3, "expected several shards, got " + written);
      for (int i = 0; i < shards; i++) {
        assertEquals(ckpt.resolve(String.format("model-%05d-of-%05d.safetensors", i + 1, shards)), written.get(i));
      }
      assertEquals(ckpt.resolve("model.safetensors.index.json"), written.get(shards));
      checkIndex(ckpt, tensors);
      checkCheckpoint(ckpt, tensors, seed);

      List<Path> single = writeSharded(tensors, Long.MAX_VALUE, ckpt);
      assertEquals(List.of(ckpt.resolve("model.safetensors")), single);
      try (Stream<Path> left = Files.list(ckpt)) {
        assertEquals(List.of(ckpt.resolve("model.safetensors")), left.toList(), "stale shards or index left behind");
      }
      checkCheckpoint(ckpt, tensors, seed);

      writeSharded(tensors, 400, ckpt);
      assertFalse(Files.exists(ckpt.resolve("model.safetensors")), "stale single file left behind");
      checkCheckpoint(ckpt, tensors, seed);
    }
  }

  @Test
  void shardPlanFollowsTheHubRule() {
    // 5+5 fill the first shard; 20 > 10 gets its own shard where it is met; 5+5 then 5.
    assertEquals(List.of(List.of(2), List.of(0, 1), List.of(3, 4), List.of(5)), ShardPlan.split(new long[] {5, 5, 20, 5, 5, 5}, 10));
    assertEquals(List.of(List.of(0, 1, 2)), ShardPlan.split(new long[] {3, 0, 7}, 10));
    assertEquals(List.of(List.of()), ShardPlan.split(new long[0], 10));
  }

  @Test
  void indexTextIsWhatTheHubToolsWrite() {
    // json.dumps({"metadata": {"total_size": 40}, "weight_map": {...}}, indent=2, sort_keys=True) + "\n"
    String expected = "{\n  \"metadata\": {\n    \"total_size\": 40\n  },\n  \"weight_map\": {\n"
        + "    \"a.weight\": \"model-00001-of-00002.safetensors\",\n"
        + "    \"b\\u00e9\": \"model-00002-of-00002.safetensors\"\n  }\n}\n";
    Map<String, String> map = new LinkedHashMap<>();
    map.put("b\u00e9", "model-00002-of-00002.safetensors");
    map.put("a.weight", "model-00001-of-00002.safetensors");
    assertEquals(expected, ShardIndex.encode(map, 40));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    try (TensorScope scope = TensorScope.open()) {
      Path file = dir.resolve("keep.safetensors");
      new SafetensorsWriter().put("a", Tensor.of(new float[] {1, 2}, 2)).write(file);
      byte[] before = Files.readAllBytes(file);
      Tensor doomed = Tensor.of(new float[] {3}, 1);
      SafetensorsWriter w = new SafetensorsWriter().put("b", doomed);
      doomed.close(); // closed between put and write: the copy to the file fails mid-write
      assertThrows(IllegalStateException.class, () -> w.write(file));
      assertArrayEquals(before, Files.readAllBytes(file));
      try (Stream<Path> left = Files.list(dir)) {
        assertEquals(List.of(file), left.toList());
      }
    }
  }

  @Test
  void writerRejectsBadNamesAndReaderUnknownNames() throws IOException {
    try (TensorScope scope = TensorScope.open()) {
      Tensor t = Tensor.of(new float[] {1}, 1);
      SafetensorsWriter w = new SafetensorsWriter().put("a", t);
      assertThrows(IllegalArgumentException.class, () -> w.put("a", t));
      assertThrows(IllegalArgumentException.class, () -> w.put("__metadata__", t));
      assertThrows(IllegalArgumentException.class, () -> w.put("bad\ud800", t));
      assertThrows(IllegalArgumentException.class, () -> w.metadata("k", null));
      Path file = dir.resolve("a.safetensors");
      w.write(file);
      try (SafetensorsFile f = SafetensorsFile.open(file)) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.load("b", Device.CPU));
        assertTrue(e.getMessage().contains("\"b\"") && e.getMessage().contains(file.toString()), e.getMessage());
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  /** One tensor of each of our dtypes for each awkward shape, named "<dtype>-<shape>". */
  static Map<String, Tensor> randomTensors(Random r) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (long[] shape : SHAPES) {
      for (DType d : DType.values()) {
        out.put(d + "." + Arrays.toString(shape).replaceAll("[\\[\\] ]", ""), random(r, d, shape));
      }
    }
    return out;
  }

  static Tensor random(Random r, DType dtype, long[] shape) {
    int n = Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact));
    switch (dtype) {
      case F32:
      case BF16: {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
        }
        try (Tensor f = Tensor.of(v, shape)) {
          return f.to(dtype);
        }
      }
      case I32:
        return Tensor.ofInts(r.ints(n).toArray(), shape);
      default:
        return Tensor.ofLongs(r.longs(n).toArray(), shape);
    }
  }

  static void assertSameBits(String what, Tensor expected, Tensor actual) {
    assertEquals(expected.dtype(), actual.dtype(), what);
    assertArrayEquals(expected.shape(), actual.shape(), what);
    if (expected.dtype() == DType.I64) {
      assertArrayEquals(expected.toLongArray(), actual.toLongArray(), what);
    } else if (expected.dtype() == DType.I32) {
      assertArrayEquals(expected.toIntArray(), actual.toIntArray(), what);
    } else {
      assertArrayEquals(bits(expected.toFloatArray()), bits(actual.toFloatArray()), what);
    }
  }

  static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  private static List<Path> writeSharded(Map<String, Tensor> tensors, long max, Path ckpt) throws IOException {
    ShardedWriter w = new ShardedWriter(max).metadata("step", "7");
    tensors.forEach(w::put);
    return w.write(ckpt);
  }

  private static void checkIndex(Path ckpt, Map<String, Tensor> tensors) throws IOException {
    var index = (JsonValue.Obj) Json.parse(Files.readString(ckpt.resolve("model.safetensors.index.json")));
    var meta = (JsonValue.Obj) index.members().get("metadata");
    long total = tensors.values().stream().mapToLong(t -> t.numel() * t.dtype().size()).sum();
    assertEquals(String.valueOf(total), ((JsonValue.Num) meta.members().get("total_size")).text());
    var map = (JsonValue.Obj) index.members().get("weight_map");
    assertEquals(tensors.keySet().stream().sorted().toList(), map.members().keySet().stream().toList(), "weight_map keys sorted");
    for (var e : map.members().entrySet()) {
      String file = ((JsonValue.Str) e.getValue()).value();
      try (SafetensorsFile f = SafetensorsFile.open(ckpt.resolve(file))) {
        assertTrue(f.contains(e.getKey()), e.getKey() + " not in " + file);
        assertEquals(Map.of("format", "pt", "step", "7"), f.metadata(), "the hub loaders need format=pt");
      }
    }
  }

  private static void checkCheckpoint(Path ckpt, Map<String, Tensor> tensors, long seed) throws IOException {
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(ckpt)) {
      assertEquals(tensors.keySet().stream().sorted().toList(), c.names());
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        assertSameBits(e.getKey() + " seed " + seed, e.getValue(), c.load(e.getKey(), Device.CPU));
      }
    }
  }
}

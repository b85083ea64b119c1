package io.statex.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.tensor.Device;
import io.statex.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening checkpoints: a file, an index, a directory; and every index rule that protects the reader. */
class SafetensorsCheckpointTest {
  @TempDir Path dir;

  @BeforeEach
  void shards() throws IOException {
    new SpecFile().add("a", "F32", new long[] {2}, SpecFile.le(1f, 2f)).add("hidden", "I32", new long[] {1}, SpecFile.le(9))
        .writeTo(dir.resolve("model-00001-of-00002.safetensors"));
    new SpecFile().add("b", "I64", new long[] {1}, SpecFile.le(7L)).writeTo(dir.resolve("model-00002-of-00002.safetensors"));
  }

  @Test
  void opensAnIndexTheDirectoryOrASingleFile() throws IOException {
    index("\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"");
    for (Path p : List.of(dir, dir.resolve("model.safetensors.index.json"))) {
      try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(p);
          TensorScope scope = TensorScope.open()) {
        assertEquals(List.of("a", "b"), c.names());
        assertFalse(c.contains("hidden"), "a tensor the index does not list is not part of the view");
        assertArrayEquals(new float[] {1, 2}, c.load("a", Device.CPU).toFloatArray());
        assertArrayEquals(new long[] {7}, c.load("b", Device.CPU).toLongArray());
        assertEquals(2, c.files().size());
        assertThrows(IllegalArgumentException.class, () -> c.info("hidden"));
      }
    }
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(dir.resolve("model-00001-of-00002.safetensors"))) {
      assertEquals(List.of("a", "hidden"), c.names());
    }
  }

  @Test
  void aDirectoryNeedsAnIndexOrAModelFile() throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(empty));
    assertTrue(e.getMessage().contains("neither model.safetensors.index.json nor model.safetensors"), e.getMessage());
    Files.copy(dir.resolve("model-00002-of-00002.safetensors"), empty.resolve("model.safetensors"));
    try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(empty)) {
      assertEquals(List.of("b"), c.names());
    }
  }

  @Test
  void indexRules() throws IOException {
    String one = "model-00001-of-00002.safetensors";
    rejects("[]", "the index must be a JSON object");
    rejects("{\"metadata\": 3, \"weight_map\": {}}", "\"metadata\" must be an object");
    rejects("{\"metadata\": {}}", "\"weight_map\" must be an object", "found none");
    rejects("{\"weight_map\": {\"a\": 1}}", "tensor \"a\"", "must be a file name string");
    rejects("{\"weight_map\": {\"a\": \"" + one + "\", \"a\": \"" + one + "\"}}", "duplicate key \"a\"");
    for (String bad : List.of("../" + one, "/etc/passwd", "sub/" + one, "sub\\\\" + one, "", ".", "..")) {
      rejects("{\"weight_map\": {\"a\": \"" + bad + "\"}}", "tensor \"a\"", "must be a plain name inside");
    }
    rejects("{\"weight_map\": {\"a\": \"model-00009-of-00009.safetensors\"}}", "tensor \"a\"", "is not a regular file in");
    rejects("{\"weight_map\": {\"b\": \"" + one + "\"}}", "tensor \"b\"", "which has no such tensor");
    rejects("{\"weight_map\": {", "not valid JSON");
  }

  @Test
  void aCorruptShardIsNamed() throws IOException {
    Path shard = dir.resolve("model-00002-of-00002.safetensors");
    byte[] bytes = Files.readAllBytes(shard);
    Files.write(shard, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    index("\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"");
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir));
    assertTrue(e.getMessage().startsWith(shard.toString()), e.getMessage());
  }

  private void index(String weightMap) throws IOException {
    Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {\"total_size\": 16}, \"weight_map\": {" + weightMap + "}}");
  }

  private void rejects(String indexText, String... fragments) throws IOException {
    Path index = Files.writeString(dir.resolve("model.safetensors.index.json"), indexText);
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsCheckpoint.open(dir).close());
    assertTrue(e.getMessage().startsWith(index.toString()), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), "missing '" + f + "' in: " + e.getMessage());
    }
  }
}

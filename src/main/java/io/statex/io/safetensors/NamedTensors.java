package io.statex.io.safetensors;

import io.statex.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a writer collects: named tensors in the order they were put, and string metadata, both
 * checked as they arrive (unique names, not the reserved {@code __metadata__}, text that UTF-8 can
 * encode, open tensors). The caller keeps owning the tensors; they must stay open until written.
 */
final class NamedTensors {
  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  void put(String name, Tensor tensor) {
    requireText("tensor name", name);
    if (name.equals(Header.METADATA_KEY)) {
      throw new IllegalArgumentException("tensor name \"" + Header.METADATA_KEY + "\" is reserved for the metadata map");
    }
    if (tensor == null || tensor.isClosed()) {
      throw new IllegalArgumentException("tensor " + SafetensorsException.quoteName(name) + " is " + (tensor == null ? "null" : "closed"));
    }
    if (tensors.containsKey(name)) {
      throw new IllegalArgumentException("tensor name " + SafetensorsException.quoteName(name) + " was already put");
    }
    tensors.put(name, tensor);
  }

  void metadata(String key, String value) {
    requireText("metadata key", key);
    requireText("metadata value of " + SafetensorsException.quoteName(String.valueOf(key)), value);
    metadata.put(key, value);
  }

  Map<String, Tensor> tensors() {
    return Collections.unmodifiableMap(tensors);
  }

  Map<String, String> metadata() {
    return Collections.unmodifiableMap(metadata);
  }

  /** Non-null, and no unpaired surrogate (which UTF-8 cannot encode). */
  private static void requireText(String what, String s) {
    if (s == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(what + " " + SafetensorsException.quoteName(s) + " has an unpaired surrogate at index " + i + ", which UTF-8 cannot encode");
      }
    }
  }
}

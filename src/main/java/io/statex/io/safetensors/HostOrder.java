package io.statex.io.safetensors;

import java.nio.ByteOrder;

/**
 * Safetensors data is little-endian and tensors are copied between files and host memory as raw
 * bytes, which is only right on a little-endian host (every platform the engine builds for).
 */
final class HostOrder {
  private HostOrder() {}

  static void requireLittleEndian() {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("safetensors I/O needs a little-endian host, this one is " + ByteOrder.nativeOrder());
    }
  }
}

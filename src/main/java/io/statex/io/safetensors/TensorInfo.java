package io.statex.io.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor as a safetensors header declares it, after validation: its element type, its shape
 * (row-major) and its bytes {@code [begin, end)} counted from the start of the data buffer (the byte
 * after the header), as the format defines {@code data_offsets}.
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

  public TensorInfo {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Element count (validated not to overflow when the header was read). */
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  public long byteSize() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hash(name, dtype, begin, end) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
  }
}

package io.statex.data;

import java.util.Objects;

/** Index checks shared by the token sources, with messages naming the argument and the bound. */
final class Ranges {
  private Ranges() {}

  static void checkIndex(long i, long size) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("token index: expected 0 <= i < " + size + ", found " + i);
    }
  }

  /** [off, off + len) must lie inside the array called name. */
  static void checkSlice(String name, int[] array, int off, int len) {
    Objects.requireNonNull(array, name);
    if (off < 0 || len < 0 || off > array.length - len) {
      throw new IndexOutOfBoundsException(name + " range: expected [off, off + len) inside [0, " + array.length
          + "), found off " + off + ", len " + len);
    }
  }

  static void checkRead(long start, int[] dst, int off, int len, long size) {
    checkSlice("dst", dst, off, len);
    if (start < 0 || start > size - len) {
      throw new IndexOutOfBoundsException("read range: expected [start, start + len) inside [0, " + size + "), found start "
          + start + ", len " + len);
    }
  }
}

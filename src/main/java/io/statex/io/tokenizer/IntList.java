package io.statex.io.tokenizer;

import java.util.Arrays;

/** A growable int array (ids are collected without boxing). */
final class IntList {
  private int[] items;
  private int size;

  IntList() {
    this(16);
  }

  IntList(int capacity) {
    items = new int[Math.max(4, capacity)];
  }

  void add(int v) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    items[size++] = v;
  }

  void addAll(int[] vs) {
    if (size + vs.length > items.length) {
      items = Arrays.copyOf(items, Math.max(size + vs.length, size * 2));
    }
    System.arraycopy(vs, 0, items, size, vs.length);
    size += vs.length;
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(items, size);
  }
}

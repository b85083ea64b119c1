package io.statex.backend;

import org.bytedeco.javacpp.Pointer;

/** A JavaCPP Pointer over a raw address (host or device), for the presets' Pointer-typed APIs. */
final class RawPointer extends Pointer {
  RawPointer(long address) {
    this.address = address;
  }
}

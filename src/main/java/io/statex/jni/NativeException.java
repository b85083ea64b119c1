package io.statex.jni;

/** A failure reported by native code (CUDA error, out of memory, internal), with its status code. */
public class NativeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public NativeException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean isOutOfMemory() {
    return status == NativeCall.OUT_OF_MEMORY;
  }
}

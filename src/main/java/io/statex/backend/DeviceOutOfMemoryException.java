package io.statex.backend;

/** A device allocation failed even after the cache was emptied; the message shows the allocator's stats. */
public final class DeviceOutOfMemoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeviceOutOfMemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}

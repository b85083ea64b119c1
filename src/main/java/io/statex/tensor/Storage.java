package io.statex.tensor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block of memory on one device, shared by the tensors that view it. Reference counted: each
 * {@link Tensor} over it holds one reference; the last release hands the block back to whoever
 * allocated it (the host allocator, or the CUDA caching allocator). Never left to the garbage
 * collector.
 */
public final class Storage {

  /** Takes a storage's memory back when its last reference is released. */
  @FunctionalInterface
  public interface Releaser {
    void release(Storage storage);
  }

  private final Device device;
  private final long address;
  private final long bytes;
  private final Releaser releaser;
  private final AtomicInteger refs = new AtomicInteger();
  private final Object tag;

  /**
   * @param tag opaque bookkeeping of the allocator (for example the stream the block belongs to)
   */
  public Storage(Device device, long address, long bytes, Releaser releaser, Object tag) {
    this.device = device;
    this.address = address;
    this.bytes = bytes;
    this.releaser = releaser;
    this.tag = tag;
  }

  public Device device() {
    return device;
  }

  public long address() {
    return address;
  }

  public long bytes() {
    return bytes;
  }

  public Object tag() {
    return tag;
  }

  public int refCount() {
    return refs.get();
  }

  void retain() {
    refs.incrementAndGet();
  }

  void release() {
    int left = refs.decrementAndGet();
    if (left == 0) {
      releaser.release(this);
    } else if (left < 0) {
      throw new IllegalStateException("storage released more often than retained");
    }
  }
}

package io.statex.backend;

import static io.statex.jni.NativeCall.checkCuda;

import io.statex.jni.CudaNative;
import io.statex.jni.NativeException;
import io.statex.tensor.Device;
import io.statex.tensor.Storage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Caching allocator for one CUDA device, over cudaMalloc (never managed memory).
 *
 * <p>Sizes are rounded (512 B below 1 MiB, 2 MiB above) and freed blocks are kept in per-stream free
 * lists for reuse: a block is only handed out again on the stream it was last used on, so stream
 * order makes reuse safe without events. A request takes the smallest cached block that is at most
 * 25% larger. When cudaMalloc fails, every cached block is released and the call retried once; a
 * second failure raises {@link DeviceOutOfMemoryException} with the statistics.
 */
public final class CudaAllocator {
  private static final long SMALL = 1L << 20;
  private static final long SMALL_ROUND = 512;
  private static final long LARGE_ROUND = 2L << 20;

  private final Device device;
  private final Map<Long, TreeMap<Long, ArrayDeque<Long>>> freeByStream = new HashMap<>();
  private long allocated;
  private long reserved;
  private long peakAllocated;
  private long peakReserved;
  private long allocations;
  private long cacheHits;
  private long mallocs;
  private long frees;
  private long oomRetries;

  CudaAllocator(Device device) {
    this.device = device;
  }

  static long roundSize(long bytes) {
    long b = Math.max(bytes, 1);
    long unit = b < SMALL ? SMALL_ROUND : LARGE_ROUND;
    return (b + unit - 1) / unit * unit;
  }

  /** A block of at least bytes on this device, for use on stream. */
  synchronized Storage allocate(long bytes, long stream) {
    if (bytes < 0) {
      throw new IllegalArgumentException("allocation size is negative: " + bytes);
    }
    long size = roundSize(bytes);
    allocations++;
    Block block = takeCached(size, stream);
    if (block != null) {
      cacheHits++;
    } else {
      block = new Block(deviceMalloc(size), stream, size);
      reserved += size;
      peakReserved = Math.max(peakReserved, reserved);
    }
    allocated += block.size();
    peakAllocated = Math.max(peakAllocated, allocated);
    return new Storage(device, block.address(), block.size(), this::release, block);
  }

  private record Block(long address, long stream, long size) {}

  /** The smallest cached block of this stream that fits with at most 25% slack, or null. */
  private Block takeCached(long size, long stream) {
    TreeMap<Long, ArrayDeque<Long>> free = freeByStream.get(stream);
    if (free == null) {
      return null;
    }
    Map.Entry<Long, ArrayDeque<Long>> e = free.ceilingEntry(size);
    if (e == null || e.getKey() > size + size / 4) {
      return null;
    }
    long address = e.getValue().pop();
    if (e.getValue().isEmpty()) {
      free.remove(e.getKey());
    }
    return new Block(address, stream, e.getKey());
  }

  private long deviceMalloc(long size) {
    long[] out = new long[1];
    int status = CudaNative.statex_cuda_malloc(out, size);
    if (status == 0) {
      mallocs++;
      return out[0];
    }
    oomRetries++;
    emptyCache();
    status = CudaNative.statex_cuda_malloc(out, size);
    if (status == 0) {
      mallocs++;
      return out[0];
    }
    String reason = CudaNative.statex_cuda_last_error();
    long[] free = new long[1];
    long[] total = new long[1];
    String mem = CudaNative.statex_cuda_mem_info(free, total) == 0
        ? String.format("device free %s of %s", AllocatorStats.mib(free[0]), AllocatorStats.mib(total[0]))
        : "device memory unknown";
    throw new DeviceOutOfMemoryException(
        String.format("%s: out of memory allocating %s (%s); %s; allocator: %s", device, AllocatorStats.mib(size), reason, mem, stats()),
        new NativeException(status, reason));
  }

  private synchronized void release(Storage s) {
    Block b = (Block) s.tag();
    allocated -= b.size();
    freeByStream.computeIfAbsent(b.stream(), k -> new TreeMap<>()).computeIfAbsent(b.size(), k -> new ArrayDeque<>()).push(s.address());
  }

  /** Returns every cached (unused) block to the driver. */
  public synchronized void emptyCache() {
    for (TreeMap<Long, ArrayDeque<Long>> free : freeByStream.values()) {
      for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
        for (long address : e.getValue()) {
          checkCuda(CudaNative.statex_cuda_free(address), "cudaFree");
          frees++;
          reserved -= e.getKey();
        }
      }
    }
    freeByStream.clear();
  }

  public synchronized AllocatorStats stats() {
    return new AllocatorStats(allocated, reserved, peakAllocated, peakReserved, allocations, cacheHits, mallocs, frees, oomRetries);
  }

  /** Restarts the peak counters at the current values. */
  public synchronized void resetPeaks() {
    peakAllocated = allocated;
    peakReserved = reserved;
  }
}

package io.statex.backend;

/**
 * A snapshot of one device's caching allocator. "Allocated" is memory held by live tensors (rounded
 * block sizes); "reserved" adds the blocks cached for reuse.
 */
public record AllocatorStats(
    long allocatedBytes,
    long reservedBytes,
    long peakAllocatedBytes,
    long peakReservedBytes,
    long allocations,
    long cacheHits,
    long deviceMallocs,
    long deviceFrees,
    long outOfMemoryRetries) {

  @Override
  public String toString() {
    return String.format(
        "allocated %s (peak %s), reserved %s (peak %s), %d allocations, %d cache hits, %d cudaMalloc, %d cudaFree, %d OOM retries",
        mib(allocatedBytes), mib(peakAllocatedBytes), mib(reservedBytes), mib(peakReservedBytes), allocations, cacheHits,
        deviceMallocs, deviceFrees, outOfMemoryRetries);
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}

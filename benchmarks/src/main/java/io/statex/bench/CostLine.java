package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.backend.CudaBackend;
import java.util.Locale;

/**
 * The per-trial line a kernel benchmark prints for the summary: the op's FLOPs and minimum bytes (from
 * its own cost formulas in io.statex.ops) and the allocator's peak memory during the trial. The
 * summary (benchmarks/python/summarize.py) joins it with JMH's times to give TFLOP/s, GB/s and the
 * percentage of the roofline floor.
 *
 * <pre>STATEX-COST bench=GlaChunkBench.fwd shape=B8-T2048-H4-K256-V512 flops=... bytes=... peak_mib=...</pre>
 */
final class CostLine {
  private CostLine() {}

  static void resetPeak(Backend backend) {
    if (backend instanceof CudaBackend cuda) {
      backend.synchronize();
      cuda.allocator().resetPeaks();
    }
  }

  /** The name the summary joins on: "SsdChunkBench.fwd" from JMH's "io.statex.bench.SsdChunkBench.fwd". */
  static String name(org.openjdk.jmh.infra.BenchmarkParams params) {
    return params.getBenchmark().replace("io.statex.bench.", "");
  }

  static void print(Backend backend, String bench, String shape, double flops, double bytes) {
    double peakMiB = backend instanceof CudaBackend cuda ? cuda.allocator().stats().peakAllocatedBytes() / 1048576.0 : -1;
    // On a line of its own: JMH may have left "Iteration N:" without a newline.
    System.out.println(String.format(Locale.ROOT, "%nSTATEX-COST bench=%s shape=%s flops=%.6e bytes=%.6e peak_mib=%.1f", bench,
        shape, flops, bytes, peakMiB));
  }
}

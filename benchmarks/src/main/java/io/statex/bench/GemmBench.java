package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.ops.MatMul;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM through the engine's API (MatMul.matmul: allocation from the caching allocator + BLAS call +
 * synchronisation): square n x n x n, on the CPU (OpenBLAS) or CUDA (cuBLAS). FLOPs = 2 n^3, so
 * TFLOP/s = 2 n^3 / (time in us * 1e6). Inputs are random (never zeros).
 *
 * <pre>statex-bench GemmBench -p device=cuda -p dtype=bf16 -p n=8192</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class GemmBench {
  @Param({"cuda"})
  public String device;

  @Param({"bf16", "f32"})
  public String dtype;

  @Param({"1024", "4096", "8192"})
  public int n;

  private Backend backend;
  private Tensor a;
  private Tensor b;

  @Setup(Level.Trial)
  public void setUp() {
    backend = BenchDevice.open(device);
    Device d = backend.device();
    DType t = DType.parse(dtype);
    a = Tensor.normal(t, d, 1, 0, 1, n, n);
    b = Tensor.normal(t, d, 2, 0, 1, n, n);
    MatMul.matmul(a, b).close();
    backend.synchronize();
  }

  @Benchmark
  public void matmul() {
    Tensor c = MatMul.matmul(a, b);
    backend.synchronize();
    c.close();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    a.close();
    b.close();
  }
}

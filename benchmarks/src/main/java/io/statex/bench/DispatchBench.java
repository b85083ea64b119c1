package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.ops.Elementwise;
import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-op dispatch overhead for small tensors: the time of one op (validation, output allocation,
 * JNI call, kernel launch, release) when ops are issued back to back, 100 per invocation with one
 * synchronisation at the end. On CUDA this is host-side cost as long as it exceeds the kernel time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class DispatchBench {
  private static final int OPS = 100;

  @Param({"cuda", "cpu"})
  public String device;

  @Param({"1024"})
  public int size;

  private Backend backend;
  private Tensor x;

  @Setup(Level.Trial)
  public void setUp() {
    backend = BenchDevice.open(device);
    x = Tensor.normal(DType.F32, backend.device(), 3, 0, 1, size);
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void add() {
    for (int i = 0; i < OPS; i++) {
      Elementwise.add(x, x).close();
    }
    backend.synchronize();
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void silu() {
    for (int i = 0; i < OPS; i++) {
      Elementwise.silu(x).close();
    }
    backend.synchronize();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    x.close();
  }
}

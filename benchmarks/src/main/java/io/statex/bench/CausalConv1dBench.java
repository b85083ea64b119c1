package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.ops.CausalConv1d;
import io.statex.ops.Conv1dCost;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Mamba2's depthwise causal conv1d (width 4, bias, SiLU, bf16 activations, fp32 weights): forward,
 * and forward + backward, at the channel counts of Mamba2-1.3B (4352) and its StateX expansion (5120).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class CausalConv1dBench {
  private static final long WIDTH = 4;

  @Param({"cuda"})
  public String device;

  @Param({"B8-T2048-C4352", "B8-T2048-C5120"})
  public String shape;

  private Backend backend;
  private TensorScope scope;
  private Tensor x;
  private Tensor w;
  private Tensor bias;
  private Tensor dout;
  private long b, t, c;

  @Setup(Level.Trial)
  public void setUp() {
    backend = BenchDevice.open(device);
    Device d = backend.device();
    Shape s = new Shape(shape);
    b = s.get('B');
    t = s.get('T');
    c = s.get('C');
    scope = TensorScope.open();
    x = Tensor.normal(DType.BF16, d, 1, 0, 1, b, t, c);
    w = Tensor.normal(DType.F32, d, 2, 0, 0.5, c, WIDTH);
    bias = Tensor.normal(DType.F32, d, 3, 0, 0.5, c);
    dout = Tensor.normal(DType.BF16, d, 4, 0, 1, b, t, c);
    CausalConv1d.backward(dout, x, w, bias, null, true).close();
    CostLine.resetPeak(backend);
  }

  @Benchmark
  public void fwd() {
    CausalConv1d.forward(x, w, bias, null, true, false).close();
    backend.synchronize();
  }

  @Benchmark
  public void fwdbwd() {
    CausalConv1d.forward(x, w, bias, null, true, false).close();
    CausalConv1d.backward(dout, x, w, bias, null, true).close();
    backend.synchronize();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    double ff = Conv1dCost.forwardFlops(b, t, c, WIDTH, true);
    double fb = Conv1dCost.forwardBytesMin(b, t, c, WIDTH, 2);
    boolean fwdOnly = CostLine.name(params).endsWith(".fwd");
    CostLine.print(backend, CostLine.name(params), shape, fwdOnly ? ff : ff + Conv1dCost.backwardFlops(b, t, c, WIDTH, true),
        fwdOnly ? fb : fb + Conv1dCost.backwardBytesMin(b, t, c, WIDTH, 2));
    scope.close();
  }
}

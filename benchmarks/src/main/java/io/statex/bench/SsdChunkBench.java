package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.ops.SsdChunk;
import io.statex.ops.SsdCost;
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
 * The Mamba2 SSD chunked scan (SsdChunk, chunk 256, softplus(dt + dt_bias), D, bf16 x/B/C, fp32 dt,
 * no initial or final state): forward, and forward + backward. The shapes are Mamba2-1.3B's layer
 * (N 128) and its StateX expansion (N 512) at B8 T2048 and at B1 T65536.
 *
 * <pre>statex-bench SsdChunkBench -p shape=B8-T2048-H64-P64-N512-G1</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class SsdChunkBench {
  @Param({"cuda"})
  public String device;

  @Param({"B8-T2048-H64-P64-N128-G1", "B8-T2048-H64-P64-N512-G1", "B1-T65536-H64-P64-N128-G1", "B1-T65536-H64-P64-N512-G1"})
  public String shape;

  private static final int CHUNK = 256;
  private Backend backend;
  private TensorScope scope;
  private SsdChunk.Inputs in;
  private Tensor dy;
  private final SsdChunk.Options options = SsdChunk.Options.mamba2();
  private long b, t, h, p, n, g;

  @Setup(Level.Trial)
  public void setUp() {
    backend = BenchDevice.open(device);
    Device d = backend.device();
    Shape s = new Shape(shape);
    b = s.get('B');
    t = s.get('T');
    h = s.get('H');
    p = s.get('P');
    n = s.get('N');
    g = s.get('G');
    scope = TensorScope.open();
    Tensor x = Tensor.normal(DType.BF16, d, 1, 0, 1, b, t, h, p);
    Tensor dt = Tensor.normal(DType.F32, d, 2, 0, 0.5, b, t, h);
    Tensor dtBias = Tensor.full(DType.F32, d, -3.0, h);  // softplus(-3 + noise): delta near 0.05, as trained models have
    Tensor a = Tensor.uniform(DType.F32, d, 3, -16, -1, h);
    Tensor bm = Tensor.normal(DType.BF16, d, 4, 0, 1, b, t, g, n);
    Tensor cm = Tensor.normal(DType.BF16, d, 5, 0, 1, b, t, g, n);
    Tensor dd = Tensor.full(DType.F32, d, 1.0, h);
    in = new SsdChunk.Inputs(x, dt, dtBias, a, bm, cm, dd, null, null);
    dy = Tensor.normal(DType.BF16, d, 6, 0, 1, b, t, h, p);
    SsdChunk.backward(dy, null, in, options, false).close();
    CostLine.resetPeak(backend);
  }

  @Benchmark
  public void fwd() {
    SsdChunk.forward(in, options, false).close();
    backend.synchronize();
  }

  @Benchmark
  public void fwdbwd() {
    SsdChunk.forward(in, options, false).close();
    SsdChunk.backward(dy, null, in, options, false).close();
    backend.synchronize();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    double fwdFlops = SsdCost.forwardFlopsMin(b, t, h, p, n, g, CHUNK);
    double fwdBytes = SsdCost.forwardBytesMin(b, t, h, p, n, g, 2, 4, b, false, false);
    // The backward minimum: the implemented backward scaled by the forward's minimum-to-implemented ratio.
    double bwdFlops = SsdCost.backwardFlops(b, t, h, p, n, g, CHUNK) * fwdFlops / SsdCost.forwardFlops(b, t, h, p, n, g, CHUNK);
    double bwdBytes = SsdCost.backwardBytesMin(b, t, h, p, n, g, 2, 4, b, false, false);
    boolean fwdOnly = CostLine.name(params).endsWith(".fwd");
    CostLine.print(backend, CostLine.name(params), shape, fwdOnly ? fwdFlops : fwdFlops + bwdFlops,
        fwdOnly ? fwdBytes : fwdBytes + bwdBytes);
    scope.close();
  }
}

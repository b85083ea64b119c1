package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.ops.Elementwise;
import io.statex.ops.GlaChunk;
import io.statex.ops.GlaCost;
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
 * Chunked gated linear attention (GlaChunk, bf16 q/k/v/g, g = logsigmoid(randn)/16 as the GLA layer
 * makes it, scale K^-1/2, no initial or final state): forward, and forward + backward. Shapes: a
 * GLA-1.3B layer (H4 K256 V512), its StateX expansion (H1 K1024 V2048), both at B8 T2048 and B1
 * T65536, and a many-small-heads case (H16 K128 V128).
 *
 * <p>FLOPs for the roofline: the forward's algorithmic minimum (kernels.md F.1), and twice that for
 * the backward (the transposed products of dq, dk, dv without the states' recomputation), so the
 * floor is never inflated by work this implementation chose to do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class GlaChunkBench {
  @Param({"cuda"})
  public String device;

  @Param({"B8-T2048-H4-K256-V512", "B8-T2048-H1-K1024-V2048", "B1-T65536-H4-K256-V512", "B1-T65536-H1-K1024-V2048",
      "B8-T2048-H16-K128-V128"})
  public String shape;

  private Backend backend;
  private TensorScope scope;
  private Tensor q;
  private Tensor k;
  private Tensor v;
  private Tensor g;
  private Tensor dO;
  private double scale;
  private long b, t, h, kd, vd;

  @Setup(Level.Trial)
  public void setUp() {
    backend = BenchDevice.open(device);
    Device d = backend.device();
    Shape s = new Shape(shape);
    b = s.get('B');
    t = s.get('T');
    h = s.get('H');
    kd = s.get('K');
    vd = s.get('V');
    scope = TensorScope.open();
    q = Tensor.normal(DType.BF16, d, 1, 0, 1, b, t, h, kd);
    k = Tensor.normal(DType.BF16, d, 2, 0, 1, b, t, h, kd);
    v = Tensor.normal(DType.BF16, d, 3, 0, 1, b, t, h, vd);
    try (Tensor raw = Tensor.normal(DType.F32, d, 4, 0, 1, b, t, h, kd);
        Tensor ls = Elementwise.logSigmoid(raw);
        Tensor scaled = Elementwise.mulScalar(ls, 1.0 / 16)) {
      g = scaled.to(DType.BF16);
    }
    dO = Tensor.normal(DType.BF16, d, 5, 0, 1, b, t, h, vd);
    scale = GlaChunk.defaultScale(kd);
    GlaChunk.backward(dO, null, q, k, v, g, null, null, scale).close();
    CostLine.resetPeak(backend);
  }

  @Benchmark
  public void fwd() {
    GlaChunk.forward(q, k, v, g, null, null, scale, false).close();
    backend.synchronize();
  }

  @Benchmark
  public void fwdbwd() {
    GlaChunk.forward(q, k, v, g, null, null, scale, false).close();
    GlaChunk.backward(dO, null, q, k, v, g, null, null, scale).close();
    backend.synchronize();
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    double flops = GlaCost.forwardFlops(b, t, h, kd, vd);
    double bytes = GlaCost.forwardMinBytes(b, t, h, kd, vd, b, 2, 2, false, false);
    boolean fwdOnly = CostLine.name(params).endsWith(".fwd");
    CostLine.print(backend, CostLine.name(params), shape, fwdOnly ? flops : 3 * flops,
        fwdOnly ? bytes : bytes + GlaCost.backwardMinBytes(b, t, h, kd, vd, b, 2, 2, false, false));
    scope.close();
  }
}

package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.CudaProbe;
import io.statex.jni.GlaCpuNative;
import io.statex.jni.GlaCudaNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GLA on the CPU (GlaChunk and the C ABI under it) against the float64 token-by-token reference
 * (the shared suite), plus bad input through GlaChunk and through the C ABI of both libraries.
 */
class GlaChunkTest extends GlaChunkSuite {
  @Override
  Device device() {
    return Device.CPU;
  }

  @Override
  List<GlaCase> cases() {
    List<GlaCase> all = new ArrayList<>(GlaCatalogue.common());
    all.addAll(GlaCatalogue.f64());
    return all;
  }

  @Override
  List<GlaCase> decodeCases() {
    List<GlaCase> all = new ArrayList<>(GlaCatalogue.decode());
    all.add(GlaCase.of(2, 70, 2, 32, 16).withStates().f64());
    return all;
  }

  // ---- bad input through GlaChunk: IllegalArgumentException naming the argument ----

  static Stream<Arguments> badTensors() {
    return Stream.of(
        badOp("k shape differs from q", "k must have shape [2, 8, 1, 16]", a -> a.k = a.t(DType.F32, 2, 8, 1, 32)),
        badOp("v batch differs", "v must have shape [2, 8, 1, 16]", a -> a.v = a.t(DType.F32, 1, 8, 1, 16)),
        badOp("v dtype differs", "q is F32 but v is BF16", a -> a.v = a.t(DType.BF16, 2, 8, 1, 16)),
        badOp("g I32", "g must be one of [F32, F32]", a -> a.g = a.t(DType.I32, 2, 8, 1, 16)),
        badOp("q rank 3", "q must have rank 4", a -> a.q = a.t(DType.F32, 2, 8, 16)),
        badOp("q null", "q is null", a -> a.q = null),
        badOp("h0 shape", "h0 must have shape [2, 1, 16, 16]", a -> a.h0 = a.t(DType.F32, 1, 1, 16, 16)),
        badOp("h0 bf16", "h0 must be one of [F32]", a -> a.h0 = a.t(DType.BF16, 2, 1, 16, 16)),
        badOp("K = 40", "K = 40", a -> a.resize(40, 16)),
        badOp("V = 24", "V = 24", a -> a.resize(16, 24)),
        badOp("T = 0", "T = 0", a -> a.q = a.k = a.v = a.g = a.t(DType.F32, 2, 0, 1, 16)),
        badOp("cuSeqlens with B = 2", "B = 2 with cuSeqlens", a -> a.cu = Tensor.ofLongs(new long[] {0, 8}, 2)),
        badOp("cuSeqlens I32", "cuSeqlens must be one of [I64]", a -> a.cu = Tensor.ofInts(new int[] {0, 8}, 2)),
        badOp("cuSeqlens end != T", "cu_seqlens[N = 1] = 7", a -> a.packed(new long[] {0, 7})),
        badOp("cuSeqlens decreasing", "non-decreasing", a -> a.packed(new long[] {0, 5, 4, 8})));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTensors")
  void badForwardTensorsThrow(String name, String message, Consumer<OpArgs> spoil) {
    expectRejected(message, () -> {
      OpArgs a = new OpArgs();
      spoil.accept(a);
      GlaChunk.forward(a.q, a.k, a.v, a.g, a.h0, a.cu, 0.25, true);
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTensors")
  void badBackwardTensorsThrow(String name, String message, Consumer<OpArgs> spoil) {
    expectRejected(message, () -> {
      OpArgs a = new OpArgs();
      spoil.accept(a);
      GlaChunk.backward(a.v, null, a.q, a.k, a.v, a.g, a.h0, a.cu, 0.25);
    });
  }

  static Stream<Arguments> badSteps() {
    return Stream.of(
        badOp("state shape", "state must have shape [2, 1, 16, 16]", a -> a.h0 = a.t(DType.F32, 2, 1, 16, 32)),
        badOp("state bf16", "state must be one of [F32]", a -> a.h0 = a.t(DType.BF16, 2, 1, 16, 16)),
        badOp("k shape differs from q", "k must have shape [2, 1, 16]", a -> a.k = a.t(DType.F32, 2, 1, 32)),
        badOp("K = 40", "K = 40", a -> a.stepResize(40)),
        badOp("q rank 2", "q must have rank 3", a -> a.q = a.t(DType.F32, 2, 16)),
        badOp("v null", "v is null", a -> a.v = null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSteps")
  void badStepTensorsThrow(String name, String message, Consumer<OpArgs> spoil) {
    expectRejected(message, () -> {
      OpArgs a = new OpArgs().asStep();
      spoil.accept(a);
      GlaChunk.step(a.h0, a.q, a.k, a.v, a.g, 0.25);
    });
  }

  /** A valid small call (B 2, T 8, H 1, K = V = 16, F32) whose tensors a test then spoils. */
  static final class OpArgs {
    Tensor q, k, v, g, h0, cu;

    OpArgs() {
      q = k = v = g = t(DType.F32, 2, 8, 1, 16);
      h0 = t(DType.F32, 2, 1, 16, 16);
    }

    Tensor t(DType dtype, long... shape) {
      return Tensor.zeros(dtype, Device.CPU, shape);
    }

    void resize(long K, long V) {
      q = k = g = t(DType.F32, 2, 8, 1, K);
      v = t(DType.F32, 2, 8, 1, V);
      h0 = t(DType.F32, 2, 1, K, V);
    }

    void packed(long[] offsets) {
      resize(16, 16);
      q = k = v = g = t(DType.F32, 1, 8, 1, 16);
      cu = Tensor.ofLongs(offsets, offsets.length);
      h0 = t(DType.F32, offsets.length - 1, 1, 16, 16);
    }

    OpArgs asStep() {
      q = k = v = g = t(DType.F32, 2, 1, 16);
      return this;
    }

    void stepResize(long K) {
      q = k = g = t(DType.F32, 2, 1, K);
      h0 = t(DType.F32, 2, 1, K, 16);
    }
  }

  // ---- bad input through the C ABI: raw pointers, codes and sizes ----

  /** Sizes, codes and pointers: rejected alike by the CPU and the CUDA entries (the shared check). */
  static Stream<Arguments> badNativeShapes() {
    return Stream.of(
        badAbi("T = 0", "T = 0", a -> a.T = 0),
        badAbi("H = 0", "H = 0", a -> a.H = 0),
        badAbi("K = 40", "K = 40", a -> a.K = 40),
        badAbi("V = 4112", "V = 4112", a -> a.V = 4112),
        badAbi("dtype I32", "dtype code 2", a -> a.dtype = 2),
        badAbi("g bf16 with f32 inputs", "g_dtype code 1", a -> a.gDtype = 1),
        badAbi("scale NaN", "scale = nan", a -> a.scale = Double.NaN),
        badAbi("N != B", "N = 3", a -> a.N = 3),
        badAbi("q null", "q: null", a -> a.q = 0),
        badAbi("g null", "g: null", a -> a.g = 0),
        badAbi("cu_seqlens with B = 2", "B = 2 with cu_seqlens", a -> a.cu = a.longs(0, 3, 8)));
  }

  /** ... plus the contents of cu_seqlens, which only the CPU entries can read. */
  static Stream<Arguments> badNative() {
    return Stream.concat(badNativeShapes(),
        Stream.of(badAbi("cu_seqlens[0] != 0", "cu_seqlens[0] = 1", a -> a.packed(a.longs(1, 8)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNative")
  void badNativeForwardThrows(String name, String message, Consumer<AbiArgs> spoil) {
    expectRejected(message, () -> AbiArgs.run(spoil, AbiArgs::forward));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNative")
  void badNativeBackwardThrows(String name, String message, Consumer<AbiArgs> spoil) {
    expectRejected(message, () -> AbiArgs.run(spoil, AbiArgs::backward));
  }

  static Stream<Arguments> badNativePointers() {
    return Stream.of(
        badAbi("forward o null", "o: null", a -> a.o = 0),
        badAbi("backward d_o null", "d_o: null", a -> a.dO = 0),
        badAbi("backward dg null", "dg: null", a -> a.dg = 0),
        badAbi("step state null", "state: null", a -> a.h0 = 0),
        badAbi("step N = 0", "N = 0", a -> a.N = 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNativePointers")
  void badNativePointersThrow(String name, String message, Consumer<AbiArgs> spoil) {
    Consumer<AbiArgs> call = name.startsWith("forward") ? AbiArgs::forward
        : name.startsWith("backward") ? AbiArgs::backward : AbiArgs::step;
    expectRejected(message, () -> AbiArgs.run(spoil, call));
  }

  /** Raw arguments of a valid CPU call (B 2, T 8, H 1, K = V = 16, F32), spoiled one at a time. */
  static final class AbiArgs {
    long B = 2, T = 8, H = 1, K = 16, V = 16, N = 2;
    int dtype = 0, gDtype = 0;
    double scale = 0.25;
    long q, k, v, g, h0, o, ht, cu, dO, dq, dk, dv, dg, dh0;

    static void run(Consumer<AbiArgs> spoil, Consumer<AbiArgs> call) {
      try (TensorScope scope = TensorScope.open()) {
        AbiArgs a = new AbiArgs();
        spoil.accept(a);
        call.accept(a);
      }
    }

    AbiArgs() {
      // Validation runs before any access: shared buffers of the right sizes are enough.
      q = k = v = g = o = dO = dq = dk = dv = dg = buf(2 * 8 * 16);
      h0 = ht = dh0 = buf(2 * 16 * 16);
    }

    static long buf(long floats) {
      return Tensor.zeros(DType.F32, Device.CPU, floats).address();
    }

    long longs(long... values) {
      return Tensor.ofLongs(values, values.length).address();
    }

    void packed(long cuAddress) {
      cu = cuAddress;
      B = 1;
      N = 1;
    }

    void forward() {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_fwd(o, ht, q, k, v, g, h0, cu, dtype, gDtype, scale, B, T,
          H, K, V, N), "cpu");
    }

    void backward() {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_chunk_bwd(dq, dk, dv, dg, dh0, q, k, v, g, h0, dO, 0, cu, dtype,
          gDtype, scale, B, T, H, K, V, N), "cpu");
    }

    void step() {
      NativeCall.checkCpu(GlaCpuNative.statex_cpu_gla_step(o, h0, q, k, v, g, dtype, gDtype, scale, N, H, K, V), "cpu");
    }

    // Host pointers as "device" memory: every call here is rejected before anything is launched.
    void cudaForward() {
      NativeCall.checkCuda(GlaCudaNative.statex_cuda_gla_chunk_fwd(o, ht, q, k, v, g, h0, cu, dtype, gDtype, scale, B,
          T, H, K, V, N, dq, 1 << 20, 0), "cuda");
    }

    void cudaBackward() {
      NativeCall.checkCuda(GlaCudaNative.statex_cuda_gla_chunk_bwd(dq, dk, dv, dg, dh0, q, k, v, g, h0, dO, 0, cu, dtype,
          gDtype, scale, B, T, H, K, V, N, dq, 1 << 20, 0), "cuda");
    }
  }

  // ---- the CUDA entries validate before they touch a device: checked wherever libstatex_cuda loads ----

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNativeShapes")
  void badNativeCudaForwardThrows(String name, String message, Consumer<AbiArgs> spoil) {
    Assumptions.assumeTrue(CudaProbe.probe().libraryLoaded(), "libstatex_cuda is not part of this build");
    expectRejected(message, () -> AbiArgs.run(spoil, AbiArgs::cudaForward));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNativeShapes")
  void badNativeCudaBackwardThrows(String name, String message, Consumer<AbiArgs> spoil) {
    Assumptions.assumeTrue(CudaProbe.probe().libraryLoaded(), "libstatex_cuda is not part of this build");
    expectRejected(message, () -> AbiArgs.run(spoil, AbiArgs::cudaBackward));
  }

  /** The workspace queries against the header's formula, segment by segment, and its worked example. */
  @Test
  void cudaWorkspaceSizesFollowTheHeader() {
    Assumptions.assumeTrue(CudaProbe.probe().libraryLoaded(), "libstatex_cuda is not part of this build");
    long B = 1, T = 65536, H = 1, K = 1024, V = 2048, N = 1;
    long slots = B * ((T + 63) / 64) + N;
    // BF16: the gates' hi part only (their lo part is read with F32 inputs alone)
    long fwd = 4 * B * T * H * K + 2 * 2 * B * T * H * K + 4 * B * T * H * 64 + 2 * slots * H * K * V;
    assertEquals(fwd, GlaChunk.forwardWorkspaceBytes(DType.BF16, B, T, H, K, V, N, false));
    long chunks = B * ((T + 63) / 64);
    assertEquals(fwd + 4 * B * T * H * 64 + 2 * slots * H * K * V + 8 * B * T * H * K + 4 * chunks * H * K,
        GlaChunk.backwardWorkspaceBytes(DType.BF16, B, T, H, K, V, N, false));
    assertEquals(9_709_813_760L, GlaChunk.backwardWorkspaceBytes(DType.BF16, B, T, H, K, V, N, false),
        "the example in statex/gla.h");
    assertEquals(4_852_809_728L, fwd, "the example in statex/gla.h");
    // packed: ceil(T/64) + N chunk slots bound, 8 (N + 1) bytes of offsets, 256-byte segments
    long packed = GlaChunk.forwardWorkspaceBytes(DType.F32, 1, 100, 2, 16, 32, 3, true);
    long align = 256;
    long expect = up(8 * 4, align) + 2 * up(4 * 100 * 2 * 16, align) + 2 * up(4 * 100 * 2 * 16, align)
        + up(4 * 100 * 2 * 64, align) + up(4 * (2 + 3 + 3) * 2 * 16 * 32, align);
    assertEquals(expect, packed);
  }

  private static long up(long x, long a) {
    return (x + a - 1) / a * a;
  }

  static void expectRejected(String message, org.junit.jupiter.api.function.Executable call) {
    try (TensorScope scope = TensorScope.open()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
      assertTrue(e.getMessage().contains(message), "message '" + e.getMessage() + "' should contain '" + message + "'");
    }
  }

  static Arguments badOp(String name, String message, Consumer<OpArgs> spoil) {
    return Arguments.of(name, message, Named.of(name, spoil));
  }

  static Arguments badAbi(String name, String message, Consumer<AbiArgs> spoil) {
    return Arguments.of(name, message, Named.of(name, spoil));
  }
}

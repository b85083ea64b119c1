package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statex.jni.Conv1dCudaNative;
import io.statex.jni.CudaNative;
import io.statex.jni.CudaProbe;
import io.statex.jni.GlaCudaNative;
import io.statex.jni.NativeCall;
import io.statex.jni.SsdCudaNative;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * F64 is a CPU-only dtype: every CUDA entry of the C ABI that takes a dtype rejects it before it looks at
 * anything else (checked wherever libstatex_cuda loads: the calls pass null pointers and never reach a
 * device), and the ops refuse to make F64 tensors from CUDA ones (on a GPU).
 */
class F64CudaTest {
  private static final int F64 = DType.F64.code();
  private static final int F32 = DType.F32.code();
  private static final String MESSAGE = "F64 is supported on the CPU backend only";

  static Stream<Arguments> entries() {
    long[] shape = {4};
    long[] strides = {1};
    return Stream.of(
        entry("unary", () -> CudaNative.statex_cuda_unary(0, F64, 1, shape, 0, strides, 0, strides, 0, 0)),
        entry("unary_bwd", () -> CudaNative.statex_cuda_unary_bwd(0, F64, 1, shape, 0, strides, 0, strides, 0, strides,
            0, 0)),
        entry("binary", () -> CudaNative.statex_cuda_binary(0, F64, 1, shape, 0, strides, 0, strides, 0, strides, 0)),
        entry("copy to F64", () -> CudaNative.statex_cuda_copy(1, shape, 0, F64, strides, 0, F32, strides, 0)),
        entry("copy from F64", () -> CudaNative.statex_cuda_copy(1, shape, 0, F32, strides, 0, F64, strides, 0)),
        entry("fill", () -> CudaNative.statex_cuda_fill(F64, 4, 0, 1, 0)),
        entry("reduce", () -> CudaNative.statex_cuda_reduce(0, F64, 1, 4, 1, 0, 0, 0, 0)),
        entry("softmax", () -> CudaNative.statex_cuda_softmax(F64, 0, 1, 4, 0, 0, 0)),
        entry("softmax_bwd", () -> CudaNative.statex_cuda_softmax_bwd(F64, 0, 1, 4, 0, 0, 0, 0)),
        entry("rmsnorm_fwd", () -> CudaNative.statex_cuda_rmsnorm_fwd(F64, 1, 4, 1e-6, 0, 0, 0, 0, 0)),
        entry("rmsnorm_bwd", () -> CudaNative.statex_cuda_rmsnorm_bwd(F64, 1, 4, 0, 0, 0, 0, 0, 0, 0)),
        entry("embedding_fwd", () -> CudaNative.statex_cuda_embedding_fwd(F64, 3, 2, 4, 8, 0, 0, 0, 0, 0)),
        entry("embedding_bwd", () -> CudaNative.statex_cuda_embedding_bwd(F64, 3, 2, 4, 8, 0, 0, 0, 0, 0)),
        entry("random", () -> CudaNative.statex_cuda_random(0, F64, 4, 0, 1, 0, 0, 1, 0)),
        entry("gla_chunk_fwd_workspace_size", () -> GlaCudaNative.statex_cuda_gla_chunk_fwd_workspace_size(new long[1],
            F64, 1, 8, 1, 16, 16, 1, 0)),
        entry("gla_chunk_bwd_workspace_size", () -> GlaCudaNative.statex_cuda_gla_chunk_bwd_workspace_size(new long[1],
            F64, 1, 8, 1, 16, 16, 1, 0)),
        entry("gla_chunk_fwd", () -> GlaCudaNative.statex_cuda_gla_chunk_fwd(0, 0, 0, 0, 0, 0, 0, 0, F64, F64, 0.25, 1,
            8, 1, 16, 16, 1, 0, 0, 0)),
        entry("gla_chunk_bwd", () -> GlaCudaNative.statex_cuda_gla_chunk_bwd(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, F64,
            F64, 0.25, 1, 8, 1, 16, 16, 1, 0, 0, 0)),
        entry("gla_step", () -> GlaCudaNative.statex_cuda_gla_step(0, 0, 0, 0, 0, 0, F64, F64, 0.25, 1, 1, 16, 16, 0)),
        entry("ssd_chunk_fwd", () -> SsdCudaNative.statex_cuda_ssd_chunk_fwd(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 8, 1, 4,
            4, 1, 0, F64, F64, 64, 1, 0, Float.POSITIVE_INFINITY, 0, 0, 0)),
        entry("ssd_chunk_bwd", () -> SsdCudaNative.statex_cuda_ssd_chunk_bwd(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 1, 8, 1, 4, 4, 1, 0, F64, F64, 64, 1, 0, Float.POSITIVE_INFINITY, 0, 0, 0)),
        entry("ssd_step", () -> SsdCudaNative.statex_cuda_ssd_step(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 4, 4, 1, F64, F64, 1,
            0, Float.POSITIVE_INFINITY, 0)),
        entry("causal_conv1d_fwd", () -> Conv1dCudaNative.statex_cuda_causal_conv1d_fwd(0, 0, 0, 0, 0, 0, 1, 8, 4, 4, 0,
            F64, 1, 0)),
        entry("causal_conv1d_bwd", () -> Conv1dCudaNative.statex_cuda_causal_conv1d_bwd(0, 0, 0, 0, 0, 0, 0, 0, 1, 8, 4,
            4, 0, F64, 1, 0, 0, 0)),
        entry("causal_conv1d_step", () -> Conv1dCudaNative.statex_cuda_causal_conv1d_step(0, 0, 0, 0, 0, 1, 4, 4, F64, 1,
            0)));
  }

  private static Arguments entry(String name, IntSupplier call) {
    return Arguments.of(Named.of(name, call));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void cudaEntryRejectsF64First(IntSupplier call) {
    assumeTrue(CudaProbe.probe().libraryLoaded(), "libstatex_cuda is not part of this build");
    int status = call.getAsInt();
    String message = CudaNative.statex_cuda_last_error();
    assertEquals(NativeCall.INVALID_ARGUMENT, status, () -> "status " + status + ": " + message);
    assertTrue(message.contains(MESSAGE), () -> "message '" + message + "' should say '" + MESSAGE + "'");
  }

  @Test
  @Tag("gpu")
  void opsRefuseF64FromCudaTensors() {
    assumeTrue(CudaProbe.probe().usable(), () -> "no CUDA device: " + CudaProbe.probe().reason());
    try (TensorScope s = TensorScope.open()) {
      Tensor x = Tensor.zeros(DType.F32, Device.cuda(0), 2, 3);
      for (Runnable r : new Runnable[] {() -> Shaping.cast(x, DType.F64), () -> x.to(DType.F64),
          () -> Tensor.of(new double[] {1, 2}, 2).to(Device.cuda(0)), () -> Tensor.zeros(DType.F64, Device.cuda(0), 3)}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(MESSAGE), () -> "message '" + e.getMessage() + "' should say '" + MESSAGE + "'");
      }
    }
  }
}

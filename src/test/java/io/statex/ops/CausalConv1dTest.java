package io.statex.ops;

import io.statex.jni.Conv1dCpuNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CPU depthwise causal conv1d against the float64 reference: forward, backward, decode, varlen, bad input. */
class CausalConv1dTest {
  static Stream<CausalConv1dCase> cases() {
    return Stream.concat(CausalConv1dCase.catalogue().stream(), CausalConv1dCase.f64().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(CausalConv1dCase c) {
    CausalConv1dCheck.forwardBackward(c, Device.CPU);
  }

  static Stream<CausalConv1dCase> decodeCases() {
    return Stream.of(new CausalConv1dCase(2, 20, 7, 4, DType.F32, true, true, null),
        new CausalConv1dCase(1, 6, 5, 2, DType.F32, false, false, null),
        new CausalConv1dCase(3, 11, 9, 3, DType.BF16, true, false, null),
        new CausalConv1dCase(2, 9, 6, 4, DType.F64, true, true, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOnePass(CausalConv1dCase c) {
    CausalConv1dCheck.prefillThenDecode(c, 4, Device.CPU);
  }

  static void opRejectsBadInput(Device dev) {
    try (TensorScope s = TensorScope.open()) {
      Tensor x = Tensor.zeros(DType.F32, dev, 2, 5, 3);
      Tensor w = Tensor.zeros(DType.F32, dev, 3, 4);
      SsdChunkTest.rejects("W in 2..4", () -> CausalConv1d.forward(x, Tensor.zeros(DType.F32, dev, 3, 5), null, null,
          true, false));
      SsdChunkTest.rejects("weight must have shape [Ch = 3", () -> CausalConv1d.forward(x,
          Tensor.zeros(DType.F32, dev, 4, 4), null, null, true, false));
      SsdChunkTest.rejects("bias must have shape", () -> CausalConv1d.forward(x, w, Tensor.zeros(DType.F32, dev, 2),
          null, true, false));
      SsdChunkTest.rejects("x must be F32", () -> CausalConv1d.forward(Tensor.zeros(DType.I32, dev, 2, 5, 3), w,
          null, null, true, false));
      SsdChunkTest.rejects("cuSeqlens (packed sequences) needs batch 1", () -> CausalConv1d.forward(x, w, null,
          Tensor.ofLongs(new long[] {0, 5}, 2).to(dev), true, false));
      SsdChunkTest.rejects("dout must have shape", () -> CausalConv1d.backward(Tensor.zeros(DType.F32, dev, 2, 4, 3), x,
          w, null, null, true));
      SsdChunkTest.rejects("state must have shape", () -> CausalConv1d.step(Tensor.zeros(DType.F32, dev, 2, 2, 3),
          Tensor.zeros(DType.F32, dev, 2, 3), w, null, true));
    }
  }

  @Test
  void opRejectsBadInputNamingTheArgument() {
    opRejectsBadInput(Device.CPU);
  }

  @Test
  void nativeEntriesRejectBadInputNamingTheArgument() {
    try (TensorScope s = TensorScope.open()) {
      long p = Tensor.zeros(DType.F32, Device.CPU, 4096).address();
      long cu = Tensor.ofLongs(new long[] {0, 2, 3}, 3).address();
      abi("width", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 5, 0, 0, 0));
      abi("width", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 1, 0, 0, 0));
      abi("seqlen", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 0, 3, 4, 0, 0, 0));
      abi("weight", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, 0, 0, 0, 1, 4, 3, 4, 0, 0, 0));
      abi("dtype", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 4, 0, 2, 0));
      abi("cu_seqlens", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, cu, 1, 4, 3, 4, 2, 0, 0));
      abi("dbias", Conv1dCpuNative.statex_cpu_causal_conv1d_bwd(p, p, p, p, p, p, 0, 0, 1, 4, 3, 4, 0, 0, 0));
      abi("conv_state", Conv1dCpuNative.statex_cpu_causal_conv1d_step(p, 0, p, p, 0, 1, 3, 4, 0, 0));
    }
  }

  private static void abi(String fragment, int status) {
    SsdChunkTest.rejects(fragment, () -> NativeCall.checkCpu(status, "causal_conv1d"));
  }
}

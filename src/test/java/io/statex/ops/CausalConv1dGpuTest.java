package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.Conv1dCudaNative;
import io.statex.jni.CudaProbe;
import io.statex.jni.NativeCall;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import io.statex.tensor.TensorScope;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CUDA causal conv1d against the float64 reference: the CPU catalogue plus Mamba2-sized channels, decode, bad input. */
@Tag("gpu")
class CausalConv1dGpuTest {
  private static final Device GPU = Device.cuda(0);

  @BeforeAll
  static void needsGpu() {
    Assumptions.assumeTrue(CudaProbe.probe().usable(), () -> "no usable CUDA: " + CudaProbe.probe().reason());
  }

  static Stream<CausalConv1dCase> cases() {
    List<CausalConv1dCase> c = new ArrayList<>(CausalConv1dCase.catalogue());
    c.add(new CausalConv1dCase(2, 2048, 4352, 4, DType.BF16, true, true, null));
    c.add(new CausalConv1dCase(1, 1000, 300, 4, DType.F32, true, true, null));
    c.add(CausalConv1dCase.varlen(new long[] {1, 0, 513, 2, 300}, 1000, 4, DType.BF16, true, true));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(CausalConv1dCase c) {
    CausalConv1dCheck.forwardBackward(c, GPU);
  }

  static Stream<CausalConv1dCase> decodeCases() {
    return Stream.of(new CausalConv1dCase(2, 20, 7, 4, DType.F32, true, true, null),
        new CausalConv1dCase(3, 11, 300, 3, DType.BF16, true, false, null),
        new CausalConv1dCase(1, 6, 5, 2, DType.F32, false, false, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOnePass(CausalConv1dCase c) {
    CausalConv1dCheck.prefillThenDecode(c, 4, GPU);
  }

  @Test
  void badInputNamesTheArgument() {
    CausalConv1dTest.opRejectsBadInput(GPU);
    try (TensorScope s = TensorScope.open()) {
      long p = Tensor.zeros(DType.F32, GPU, 4096).address();
      int st = Conv1dCudaNative.statex_cuda_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 5, 0, 0, 0, 0);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeCall.checkCuda(st, "conv1d"));
      assertTrue(e.getMessage().contains("width"), e::getMessage);
      int st2 = Conv1dCudaNative.statex_cuda_causal_conv1d_bwd(p, p, 0, p, p, p, 0, 0, 1, 4, 3, 4, 0, 0, 0, p, 0, 0);
      e = assertThrows(IllegalArgumentException.class, () -> NativeCall.checkCuda(st2, "conv1d"));
      assertTrue(e.getMessage().contains("workspace"), e::getMessage);
    }
  }
}

package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.Conv1dCpuNative;
import io.statex.jni.NativeCall;
import io.statex.testing.Buf;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CPU depthwise causal conv1d against the float64 reference: forward, backward, decode, varlen, bad input. */
class CausalConv1dTest {
  static Stream<CausalConv1dCase> cases() {
    return CausalConv1dCase.catalogue().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(CausalConv1dCase c) {
    CausalConv1dCheck.forwardBackward(c, false, 42);
  }

  static Stream<CausalConv1dCase> decodeCases() {
    return Stream.of(new CausalConv1dCase(2, 20, 7, 4, Buf.F32, true, true, null),
        new CausalConv1dCase(1, 6, 5, 2, Buf.F32, false, false, null),
        new CausalConv1dCase(3, 11, 9, 3, Buf.BF16, true, false, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOnePass(CausalConv1dCase c) {
    CausalConv1dCheck.prefillThenDecode(c, 4, false, 5);
  }

  private static void expectBad(String fragment, int status) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeCall.checkCpu(status, "causal_conv1d"));
    assertTrue(e.getMessage().contains(fragment), () -> "message should name '" + fragment + "': " + e.getMessage());
  }

  @Test
  void badInputNamesTheArgument() {
    try (Buf buf = Buf.poisoned(false, 4096, Buf.F32); Buf cu = Buf.ofLongs(false, new long[] {0, 2, 3})) {
      long p = buf.addr();
      expectBad("width", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 5, 0, Buf.F32, 0));
      expectBad("width", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 1, 0, Buf.F32, 0));
      expectBad("seqlen", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 0, 3, 4, 0, Buf.F32, 0));
      expectBad("weight", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, 0, 0, 0, 1, 4, 3, 4, 0, Buf.F32, 0));
      expectBad("dtype", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, 0, 1, 4, 3, 4, 0, 2, 0));
      expectBad("cu_seqlens", Conv1dCpuNative.statex_cpu_causal_conv1d_fwd(p, 0, p, p, 0, cu.addr(), 1, 4, 3, 4, 2,
          Buf.F32, 0));
      expectBad("dbias", Conv1dCpuNative.statex_cpu_causal_conv1d_bwd(p, p, p, p, p, p, 0, 0, 1, 4, 3, 4, 0, Buf.F32,
          0));
      expectBad("conv_state", Conv1dCpuNative.statex_cpu_causal_conv1d_step(p, 0, p, p, 0, 1, 3, 4, Buf.F32, 0));
    }
  }
}

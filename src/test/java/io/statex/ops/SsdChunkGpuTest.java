package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.CudaProbe;
import io.statex.jni.NativeCall;
import io.statex.jni.SsdCudaNative;
import io.statex.testing.Buf;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CUDA SSD chunked scan against the float64 token-by-token reference: the CPU catalogue plus larger cases (fp32
 * and bf16, every gradient, poisoned outputs and workspaces, varlen), decode consistency and bad input.
 */
@Tag("gpu")
class SsdChunkGpuTest {
  @BeforeAll
  static void needsGpu() {
    Assumptions.assumeTrue(CudaProbe.probe().usable(), () -> "no usable CUDA: " + CudaProbe.probe().reason());
  }

  static Stream<SsdChunkCase> cases() {
    int f = Buf.F32, bf = Buf.BF16;
    List<SsdChunkCase> c = new ArrayList<>(SsdChunkCase.catalogue());
    c.add(SsdChunkCase.of(1, 2048, 8, 64, 128, 1, 256, f));
    c.add(SsdChunkCase.of(1, 2048, 8, 64, 128, 1, 256, bf).options(true, true, true, false, true, true));
    c.add(SsdChunkCase.of(1, 512, 2, 64, 512, 1, 256, f));
    c.add(SsdChunkCase.of(1, 512, 2, 64, 512, 2, 128, bf).dtDtype(bf));
    c.add(SsdChunkCase.of(2, 300, 2, 256, 64, 1, 64, bf));
    c.add(SsdChunkCase.of(1, 777, 4, 96, 80, 2, 128, f).options(true, true, true, true, true, true));
    c.add(SsdChunkCase.varlen(new long[] {1, 700, 0, 255, 256, 257}, 4, 64, 128, 1, 256, bf));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(SsdChunkCase c) {
    SsdChunkCheck.forwardBackward(c, true, 4321);
  }

  static Stream<SsdChunkCase> decodeCases() {
    return Stream.of(SsdChunkCase.of(2, 70, 2, 4, 8, 1, 64, Buf.F32),
        SsdChunkCase.of(1, 300, 4, 64, 128, 2, 256, Buf.BF16).options(false, true, true, true, true, true),
        SsdChunkCase.of(3, 9, 1, 40, 300, 1, 64, Buf.F32).options(true, false, false, false, false, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOneChunkedPass(SsdChunkCase c) {
    SsdChunkCheck.prefillThenDecode(c, 5, true, 77);
  }

  @Test
  void badInputNamesTheArgument() {
    try (Buf buf = Buf.poisoned(true, 1 << 16, Buf.F32)) {
      long p = buf.addr();
      int st = SsdCudaNative.statex_cuda_ssd_chunk_fwd(p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 3, 4, 4, 2, 0, Buf.F32,
          Buf.F32, 64, 1, 0, Float.POSITIVE_INFINITY, p, 1 << 18, 0);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> NativeCall.checkCuda(st, "ssd_chunk_fwd"));
      assertTrue(e.getMessage().contains("groups"), e::getMessage);
      int st2 = SsdCudaNative.statex_cuda_ssd_chunk_bwd(p, p, p, p, p, 0, 0, 0, p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4,
          2, 4, 4, 1, 0, Buf.F32, Buf.F32, 64, 1, 0, Float.POSITIVE_INFINITY, p, 1, 0);
      e = assertThrows(IllegalArgumentException.class, () -> NativeCall.checkCuda(st2, "ssd_chunk_bwd"));
      assertTrue(e.getMessage().contains("workspace"), e::getMessage);
    }
  }
}

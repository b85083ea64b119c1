package io.statex.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.jni.NativeCall;
import io.statex.jni.SsdCpuNative;
import io.statex.testing.Buf;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CPU SSD chunked scan against the float64 token-by-token reference: forward, backward, decode, bad input. */
class SsdChunkTest {
  static Stream<SsdChunkCase> cases() {
    return SsdChunkCase.catalogue().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void forwardBackward(SsdChunkCase c) {
    SsdChunkCheck.forwardBackward(c, false, 1234);
  }

  static Stream<SsdChunkCase> decodeCases() {
    return Stream.of(SsdChunkCase.of(2, 70, 2, 4, 8, 1, 64, Buf.F32),
        SsdChunkCase.of(1, 131, 4, 8, 16, 2, 128, Buf.BF16).options(false, true, true, true, true, true),
        SsdChunkCase.of(3, 9, 1, 4, 4, 1, 64, Buf.F32).options(true, false, false, false, false, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void prefillThenDecodeMatchesOneChunkedPass(SsdChunkCase c) {
    SsdChunkCheck.prefillThenDecode(c, 5, false, 99);
  }

  @Test
  void chunkSizeDoesNotChangeTheResult() {
    for (int q : new int[] {64, 128, 256}) {
      SsdChunkCheck.forwardBackward(SsdChunkCase.of(1, 300, 2, 4, 8, 1, q, Buf.F32), false, 7);
    }
  }

  // ---- bad input: IllegalArgumentException naming the argument ----

  private static void expectBad(String fragment, int status) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NativeCall.checkCpu(status, "ssd_chunk_fwd"));
    assertTrue(e.getMessage().contains(fragment), () -> "message should name '" + fragment + "': " + e.getMessage());
  }

  /** A forward call on valid 1x4 buffers with one thing changed. */
  private static int fwd(long x, long cu, long b, long t, long h, long g, long nseq, int dtDtype, long q, float lo,
      float hi, long wsBytes) {
    try (Buf buf = Buf.poisoned(false, 1 << 16, Buf.F32)) {
      long p = buf.addr();
      return SsdCpuNative.statex_cpu_ssd_chunk_fwd(p, 0, x, p, 0, p, p, p, 0, 0, cu, b, t, h, 4, 4, g, nseq, Buf.F32,
          dtDtype, q, 1, lo, hi, p, wsBytes);
    }
  }

  @Test
  void badInputNamesTheArgument() {
    long[] need = new long[1];
    NativeCall.checkCpu(SsdCpuNative.statex_cpu_ssd_chunk_fwd_workspace_size(need, 1, 4, 2, 4, 4, 1, 0, 64), "ws");
    long ws = need[0];
    try (Buf x = Buf.poisoned(false, 64, Buf.F32); Buf cu = Buf.ofLongs(false, new long[] {0, 3, 5});
        Buf cuOk = Buf.ofLongs(false, new long[] {0, 1, 4})) {
      long xp = x.addr();
      expectBad("chunk_size", fwd(xp, 0, 1, 4, 2, 1, 0, Buf.F32, 100, 0, Float.POSITIVE_INFINITY, ws));
      expectBad("groups", fwd(xp, 0, 1, 4, 3, 2, 0, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, ws));
      expectBad("seqlen", fwd(xp, 0, 1, 0, 2, 1, 0, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, ws));
      expectBad("x", fwd(0, 0, 1, 4, 2, 1, 0, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, ws));
      expectBad("dt_dtype", fwd(xp, 0, 1, 4, 2, 1, 0, Buf.BF16, 64, 0, Float.POSITIVE_INFINITY, ws));
      expectBad("dt limits", fwd(xp, 0, 1, 4, 2, 1, 0, Buf.F32, 64, 0.5f, 0.1f, ws));
      expectBad("workspace", fwd(xp, 0, 1, 4, 2, 1, 0, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, ws - 1));
      expectBad("cu_seqlens", fwd(xp, cuOk.addr(), 2, 4, 2, 1, 2, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, 1 << 16));
      expectBad("cu_seqlens", fwd(xp, cu.addr(), 1, 4, 2, 1, 2, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, 1 << 16));
      expectBad("nseq", fwd(xp, 0, 1, 4, 2, 1, 2, Buf.F32, 64, 0, Float.POSITIVE_INFINITY, ws));
    }
  }

  @Test
  void backwardRejectsGradientsWithoutTheirParameter() {
    try (Buf buf = Buf.poisoned(false, 1 << 16, Buf.F32)) {
      long p = buf.addr();
      // dD given without D
      int st = SsdCpuNative.statex_cpu_ssd_chunk_bwd(p, p, p, p, p, p, 0, 0, p, 0, p, p, 0, p, p, p, 0, 0, 0, 1, 4, 2,
          4, 4, 1, 0, Buf.F32, Buf.F32, 64, 1, 0, Float.POSITIVE_INFINITY, p, 1 << 18);
      expectBad("dD", st);
      // ddt_bias missing while dt_bias is given
      st = SsdCpuNative.statex_cpu_ssd_chunk_bwd(p, p, p, p, p, 0, 0, 0, p, 0, p, p, p, p, p, p, 0, 0, 0, 1, 4, 2, 4,
          4, 1, 0, Buf.F32, Buf.F32, 64, 1, 0, Float.POSITIVE_INFINITY, p, 1 << 18);
      expectBad("ddt_bias", st);
      st = SsdCpuNative.statex_cpu_ssd_step(p, 0, p, p, 0, p, p, p, 0, 1, 2, 4, 4, 1, Buf.F32, Buf.F32, 1, 0,
          Float.POSITIVE_INFINITY);
      expectBad("state", st);
    }
  }
}

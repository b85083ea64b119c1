package io.statex.backend;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * CPU GEMM through the OpenBLAS preset (the no-LAPACK library). Loaded on first use; when it cannot
 * load, GEMM on the CPU fails with the loader's reason and everything else keeps working.
 */
final class OpenBlas {
  private static volatile Throwable loadFailure;
  private static volatile boolean loaded;

  private OpenBlas() {}

  static synchronized void ensureLoaded() {
    if (loaded) {
      return;
    }
    if (loadFailure != null) {
      throw new UnsupportedOperationException("CPU GEMM needs OpenBLAS, which could not be loaded: " + loadFailure, loadFailure);
    }
    try {
      Loader.load(openblas_nolapack.class);
      loaded = true;
    } catch (Throwable t) {
      loadFailure = t;
      throw new UnsupportedOperationException("CPU GEMM needs OpenBLAS, which could not be loaded: " + t, t);
    }
  }

  static String describe() {
    try {
      ensureLoaded();
      return openblas_nolapack.OPENBLAS_VERSION.trim();
    } catch (RuntimeException e) {
      return "unavailable (" + e.getMessage() + ")";
    }
  }

  /** Row-major F32 batched GEMM, one cblas_sgemm per batch index. */
  static void sgemm(Gemm g) {
    ensureLoaded();
    int m = Math.toIntExact(g.m());
    int n = Math.toIntExact(g.n());
    int k = Math.toIntExact(g.k());
    int ta = g.transA() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int tb = g.transB() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int lda = Math.toIntExact(g.lda());
    int ldb = Math.toIntExact(g.ldb());
    int ldc = Math.toIntExact(g.ldc());
    long a0 = g.a().address();
    long b0 = g.b().address();
    long c0 = g.c().address();
    for (long i = 0; i < g.batch(); i++) {
      openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, g.alpha(),
          at(a0 + 4 * i * g.strideA()), lda, at(b0 + 4 * i * g.strideB()), ldb, g.beta(), at(c0 + 4 * i * g.strideC()), ldc);
    }
  }

  /** A FloatPointer over a raw address (JavaCPP has no public constructor taking one). */
  private static FloatPointer at(long address) {
    return new FloatPointer(new RawPointer(address));
  }

}

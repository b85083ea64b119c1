package io.statex.backend;

import io.statex.tensor.DType;
import org.bytedeco.javacpp.DoublePointer;
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

  /** Row-major F32 (cblas_sgemm) or F64 (cblas_dgemm) batched GEMM, one call per batch index. */
  static void gemm(Gemm g) {
    ensureLoaded();
    int m = Math.toIntExact(g.m());
    int n = Math.toIntExact(g.n());
    int k = Math.toIntExact(g.k());
    int ta = g.transA() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int tb = g.transB() ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
    int lda = Math.toIntExact(g.lda());
    int ldb = Math.toIntExact(g.ldb());
    int ldc = Math.toIntExact(g.ldc());
    boolean f64 = g.c().dtype() == DType.F64;
    long size = g.c().dtype().size();
    long a0 = g.a().address();
    long b0 = g.b().address();
    long c0 = g.c().address();
    threadsFor((long) m * n * k);
    for (long i = 0; i < g.batch(); i++) {
      long a = a0 + size * i * g.strideA();
      long b = b0 + size * i * g.strideB();
      long c = c0 + size * i * g.strideC();
      if (f64) {
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, g.alpha(), doubles(a), lda,
            doubles(b), ldb, g.beta(), doubles(c), ldc);
      } else {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, g.alpha(), floats(a), lda,
            floats(b), ldb, g.beta(), floats(c), ldc);
      }
    }
  }

  /**
   * Products below this many multiply-adds run on one OpenBLAS thread: waking and joining its pool
   * costs more than it saves there, and far more when the cores are shared with other work. The
   * small GEMMs of a tiny model trained 1.6x faster on one thread than on two (2-core machine).
   */
  static final long SINGLE_THREAD_MACS = 1L << 22;

  private static int poolThreads = -1;
  private static int current = -1;

  private static synchronized void threadsFor(long macs) {
    if (poolThreads < 0) {
      poolThreads = Math.max(1, org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads());
      current = poolThreads;
    }
    int want = macs < SINGLE_THREAD_MACS ? 1 : poolThreads;
    if (want != current) {
      org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(want);
      current = want;
    }
  }

  /** Typed pointers over a raw address (JavaCPP has no public constructor taking one). */
  private static FloatPointer floats(long address) {
    return new FloatPointer(new RawPointer(address));
  }

  private static DoublePointer doubles(long address) {
    return new DoublePointer(new RawPointer(address));
  }

}

package io.statex.backend;

import io.statex.tensor.DType;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;

/**
 * cuBLAS through the JavaCPP CUDA preset: one handle per device, bound to the device's compute
 * stream. Only created after {@link io.statex.jni.CudaProbe} found a GPU (the preset's JNI needs the
 * driver). bf16 and fp32 operands, fp32 accumulation (CUBLAS_COMPUTE_32F: no TF32 shortcut), row-major
 * through the usual transpose identity C^T = B^T A^T.
 */
final class Cublas {
  private final cublasContext handle = new cublasContext();
  private final FloatPointer alpha = new FloatPointer(1);
  private final FloatPointer beta = new FloatPointer(1);

  Cublas(long stream) {
    check(cublas.cublasCreate_v2(handle), "cublasCreate");
    check(cublas.cublasSetStream_v2(handle, new CUstream_st(new RawPointer(stream))), "cublasSetStream");
  }

  /** cuBLAS library version (e.g. 130100 for 13.1.0), read without a handle. */
  static int version() {
    int[] major = new int[1];
    int[] minor = new int[1];
    int[] patch = new int[1];
    check(cublas.cublasGetProperty(0, major), "cublasGetProperty");
    check(cublas.cublasGetProperty(1, minor), "cublasGetProperty");
    check(cublas.cublasGetProperty(2, patch), "cublasGetProperty");
    return major[0] * 10000 + minor[0] * 100 + patch[0];
  }

  synchronized void gemm(Gemm g) {
    int type = g.c().dtype() == DType.BF16 ? cudart.CUDA_R_16BF : cudart.CUDA_R_32F;
    alpha.put(g.alpha());
    beta.put(g.beta());
    // Row-major C[m,n] = op(A) op(B) is column-major C^T[n,m] = op(B)^T op(A)^T.
    int opB = g.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
    int opA = g.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
    check(cublas.cublasGemmStridedBatchedEx(handle, opB, opA,
        Math.toIntExact(g.n()), Math.toIntExact(g.m()), Math.toIntExact(g.k()), alpha,
        new RawPointer(g.b().address()), type, Math.toIntExact(g.ldb()), g.strideB(),
        new RawPointer(g.a().address()), type, Math.toIntExact(g.lda()), g.strideA(),
        beta, new RawPointer(g.c().address()), type, Math.toIntExact(g.ldc()), g.strideC(),
        Math.toIntExact(g.batch()), cublas.CUBLAS_COMPUTE_32F, cublas.CUBLAS_GEMM_DEFAULT), "cublasGemmStridedBatchedEx");
  }

  private static void check(int status, String what) {
    if (status != 0) {
      String name;
      try {
        name = cublas.cublasGetStatusString(status).getString();
      } catch (Throwable t) {
        name = "status " + status;
      }
      throw new io.statex.jni.NativeException(io.statex.jni.NativeCall.CUDA_ERROR, what + " failed: " + name + " (" + status + ")");
    }
  }
}

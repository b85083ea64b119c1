package io.statex.backend;

import io.statex.tensor.DType;
import io.statex.tensor.Storage;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cublas.cublasLtContext;
import org.bytedeco.cuda.cublas.cublasLtMatmulDescOpaque_t;
import org.bytedeco.cuda.cublas.cublasLtMatmulHeuristicResult_t;
import org.bytedeco.cuda.cublas.cublasLtMatmulPreferenceOpaque_t;
import org.bytedeco.cuda.cublas.cublasLtMatrixLayoutOpaque_t;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * cuBLAS through the JavaCPP CUDA preset, one instance per device, bound to the device's compute
 * stream. Only created after {@link io.statex.jni.CudaProbe} found a GPU (the preset's JNI needs the
 * driver).
 *
 * <p>GEMMs go through cublasLt with a 32 MiB workspace and the heuristic's first algorithm, cached per
 * problem (shape, transposes, leading dimensions, batch strides, dtype): the classic
 * cublasGemmStridedBatchedEx entry without a workspace reached only 87% of PyTorch's bf16 8192^3 GEMM
 * on an H100. It remains the fallback when the heuristic offers no algorithm. Operands are bf16 or
 * fp32 with fp32 accumulation (CUBLAS_COMPUTE_32F: no TF32 shortcut for fp32), row-major through the
 * transpose identity C^T = op(B)^T op(A)^T.
 */
final class Cublas {
  private static final long WORKSPACE_BYTES = 32L << 20;

  private final cublasContext handle = new cublasContext();
  private final cublasLtContext lt = new cublasLtContext();
  private final CUstream_st stream;
  private final Storage workspace;
  private final FloatPointer alpha = new FloatPointer(1);
  private final FloatPointer beta = new FloatPointer(1);
  private final Map<Problem, Plan> plans = new HashMap<>();

  /** Which entry point runs GEMMs: "lt" (cublasLt + heuristic) or "ex" (cublasGemmEx / StridedBatchedEx). */
  private static final String PATH = System.getProperty("statex.gemm", "lt");

  Cublas(long stream, CudaAllocator allocator) {
    this.stream = new CUstream_st(new RawPointer(stream));
    check(cublas.cublasCreate_v2(handle), "cublasCreate");
    check(cublas.cublasSetStream_v2(handle, this.stream), "cublasSetStream");
    check(cublas.cublasLtCreate(lt), "cublasLtCreate");
    this.workspace = allocator.allocate(WORKSPACE_BYTES, stream);
    check(cublas.cublasSetWorkspace_v2(handle, new RawPointer(workspace.address()), WORKSPACE_BYTES), "cublasSetWorkspace");
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

  /** Everything that decides the algorithm (addresses do not). */
  private record Problem(int type, boolean transA, boolean transB, long m, long n, long k, long lda, long ldb, long ldc,
                         long batch, long strideA, long strideB, long strideC) {
    static Problem of(Gemm g) {
      int type = g.c().dtype() == DType.BF16 ? cudart.CUDA_R_16BF : cudart.CUDA_R_32F;
      return new Problem(type, g.transA(), g.transB(), g.m(), g.n(), g.k(), g.lda(), g.ldb(), g.ldc(), g.batch(),
          g.strideA(), g.strideB(), g.strideC());
    }
  }

  /** Descriptors and the chosen algorithm of one problem; null algo = use the classic entry. */
  private static final class Plan {
    cublasLtMatmulDescOpaque_t desc;
    cublasLtMatrixLayoutOpaque_t first;   // op(B)^T's source: B in column-major view
    cublasLtMatrixLayoutOpaque_t second;  // op(A)^T's source: A in column-major view
    cublasLtMatrixLayoutOpaque_t out;     // C^T, column-major [n, m]
    cublasLtMatmulHeuristicResult_t heuristic;
  }

  synchronized void gemm(Gemm g) {
    alpha.put(g.alpha());
    beta.put(g.beta());
    Problem p = Problem.of(g);
    if (PATH.equals("ex")) {
      classic(g, p);
      return;
    }
    Plan plan = plans.computeIfAbsent(p, this::plan);
    if (plan.heuristic == null) {
      classic(g, p);
      return;
    }
    check(cublas.cublasLtMatmul(lt, plan.desc, alpha,
        new RawPointer(g.b().address()), plan.first,
        new RawPointer(g.a().address()), plan.second,
        beta, new RawPointer(g.c().address()), plan.out, new RawPointer(g.c().address()), plan.out,
        plan.heuristic.algo(), new RawPointer(workspace.address()), WORKSPACE_BYTES, stream), "cublasLtMatmul");
  }

  private Plan plan(Problem p) {
    Plan plan = new Plan();
    int opFirst = p.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
    int opSecond = p.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
    PointerPointer<Pointer> pp = new PointerPointer<>(1);
    check(cublas.cublasLtMatmulDescCreate(pp, cublas.CUBLAS_COMPUTE_32F, cudart.CUDA_R_32F), "cublasLtMatmulDescCreate");
    plan.desc = new cublasLtMatmulDescOpaque_t(pp.get(0));
    setDesc(plan.desc, cublas.CUBLASLT_MATMUL_DESC_TRANSA, opFirst);
    setDesc(plan.desc, cublas.CUBLASLT_MATMUL_DESC_TRANSB, opSecond);
    // Column-major views of the row-major operands (rows, cols, leading dimension).
    plan.first = layout(p, p.transB() ? p.k() : p.n(), p.transB() ? p.n() : p.k(), p.ldb(), p.strideB());
    plan.second = layout(p, p.transA() ? p.m() : p.k(), p.transA() ? p.k() : p.m(), p.lda(), p.strideA());
    plan.out = layout(p, p.n(), p.m(), p.ldc(), p.strideC());
    check(cublas.cublasLtMatmulPreferenceCreate(pp), "cublasLtMatmulPreferenceCreate");
    cublasLtMatmulPreferenceOpaque_t pref = new cublasLtMatmulPreferenceOpaque_t(pp.get(0));
    try (LongPointer ws = new LongPointer(1)) {
      ws.put(WORKSPACE_BYTES);
      check(cublas.cublasLtMatmulPreferenceSetAttribute(pref, cublas.CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, ws, 8),
          "cublasLtMatmulPreferenceSetAttribute");
    }
    cublasLtMatmulHeuristicResult_t result = new cublasLtMatmulHeuristicResult_t(1);
    int[] returned = new int[1];
    int status = cublas.cublasLtMatmulAlgoGetHeuristic(lt, plan.desc, plan.first, plan.second, plan.out, plan.out, pref, 1,
        result, returned);
    cublas.cublasLtMatmulPreferenceDestroy(pref);
    plan.heuristic = status == 0 && returned[0] > 0 ? result : null;
    return plan;
  }

  private static void setDesc(cublasLtMatmulDescOpaque_t desc, int attribute, int value) {
    try (IntPointer v = new IntPointer(1)) {
      v.put(value);
      check(cublas.cublasLtMatmulDescSetAttribute(desc, attribute, v, 4), "cublasLtMatmulDescSetAttribute");
    }
  }

  private static cublasLtMatrixLayoutOpaque_t layout(Problem p, long rows, long cols, long ld, long batchStride) {
    PointerPointer<Pointer> pp = new PointerPointer<>(1);
    check(cublas.cublasLtMatrixLayoutCreate(pp, p.type(), rows, cols, ld), "cublasLtMatrixLayoutCreate");
    cublasLtMatrixLayoutOpaque_t l = new cublasLtMatrixLayoutOpaque_t(pp.get(0));
    if (p.batch() > 1) {
      try (IntPointer count = new IntPointer(1);
          LongPointer stride = new LongPointer(1)) {
        count.put((int) p.batch());
        stride.put(batchStride);
        check(cublas.cublasLtMatrixLayoutSetAttribute(l, cublas.CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, count, 4), "layout batch count");
        check(cublas.cublasLtMatrixLayoutSetAttribute(l, cublas.CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, stride, 8),
            "layout batch stride");
      }
    }
    return l;
  }

  /** cublasGemmEx (one matrix) or cublasGemmStridedBatchedEx with the default algorithm and the workspace. */
  private void classic(Gemm g, Problem p) {
    int opB = g.transB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
    int opA = g.transA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N;
    if (g.batch() == 1) {
      check(cublas.cublasGemmEx(handle, opB, opA, Math.toIntExact(g.n()), Math.toIntExact(g.m()), Math.toIntExact(g.k()), alpha,
          new RawPointer(g.b().address()), p.type(), Math.toIntExact(g.ldb()),
          new RawPointer(g.a().address()), p.type(), Math.toIntExact(g.lda()),
          beta, new RawPointer(g.c().address()), p.type(), Math.toIntExact(g.ldc()),
          cublas.CUBLAS_COMPUTE_32F, cublas.CUBLAS_GEMM_DEFAULT), "cublasGemmEx");
      return;
    }
    check(cublas.cublasGemmStridedBatchedEx(handle, opB, opA,
        Math.toIntExact(g.n()), Math.toIntExact(g.m()), Math.toIntExact(g.k()), alpha,
        new RawPointer(g.b().address()), p.type(), Math.toIntExact(g.ldb()), g.strideB(),
        new RawPointer(g.a().address()), p.type(), Math.toIntExact(g.lda()), g.strideA(),
        beta, new RawPointer(g.c().address()), p.type(), Math.toIntExact(g.ldc()), g.strideC(),
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

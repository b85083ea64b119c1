package io.statex.backend;

import static io.statex.jni.NativeCall.checkCpu;

import io.statex.jni.CpuNative;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Storage;
import io.statex.tensor.Tensor;

/**
 * The CPU backend: our C++ kernels (libstatex, multithreaded) and OpenBLAS for GEMM. It is the
 * plain, correct implementation that CI runs.
 */
public final class CpuBackend implements Backend {
  private static final long NULL = 0L;

  CpuBackend() {
    CpuNative.load();
  }

  @Override
  public Device device() {
    return Device.CPU;
  }

  @Override
  public String describe() {
    return "cpu: libstatex C++ kernels on " + CpuNative.statex_cpu_num_threads() + " threads, GEMM " + OpenBlas.describe();
  }

  @Override
  public Storage allocate(long bytes) {
    long[] out = new long[1];
    checkCpu(CpuNative.statex_cpu_alloc(out, bytes), "host allocation of " + bytes + " bytes");
    return new Storage(Device.CPU, out[0], bytes, s -> CpuNative.statex_cpu_free(s.address()), null);
  }

  @Override
  public void synchronize() {}

  // Host transfers between Java arrays and native memory.
  public void writeFromArray(long dst, float[] src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "write");
  }

  public void writeFromArray(long dst, int[] src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "write");
  }

  public void writeFromArray(long dst, long[] src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "write");
  }

  public void writeFromArray(long dst, double[] src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "write");
  }

  public void writeFromArray(long dst, short[] src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "write");
  }

  public void writeFromArray(long dst, byte[] src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "write");
  }

  public void readToArray(float[] dst, long src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "read");
  }

  public void readToArray(int[] dst, long src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "read");
  }

  public void readToArray(long[] dst, long src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "read");
  }

  public void readToArray(double[] dst, long src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "read");
  }

  public void readToArray(short[] dst, long src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "read");
  }

  public void readToArray(byte[] dst, long src, long bytes) {
    checkCpu(CpuNative.statex_cpu_memcpy(dst, src, bytes), "read");
  }

  @Override
  public void unary(UnaryOp op, Tensor out, Tensor x, double scalar) {
    checkCpu(CpuNative.statex_cpu_unary(op.code(), out.dtype().code(), out.ndim(), out.shapeRef(), out.address(), out.stridesRef(),
        x.address(), x.stridesRef(), scalar), "unary " + op);
  }

  @Override
  public void unaryBackward(UnaryOp op, Tensor dx, Tensor dy, Tensor x, double scalar) {
    checkCpu(CpuNative.statex_cpu_unary_bwd(op.code(), dx.dtype().code(), dx.ndim(), dx.shapeRef(), dx.address(), dx.stridesRef(),
        dy.address(), dy.stridesRef(), x.address(), x.stridesRef(), scalar), "unary backward " + op);
  }

  @Override
  public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
    checkCpu(CpuNative.statex_cpu_binary(op.code(), out.dtype().code(), out.ndim(), out.shapeRef(), out.address(), out.stridesRef(),
        a.address(), a.stridesRef(), b.address(), b.stridesRef()), "binary " + op);
  }

  @Override
  public void copy(Tensor dst, Tensor src) {
    checkCpu(CpuNative.statex_cpu_copy(dst.ndim(), dst.shapeRef(), dst.address(), dst.dtype().code(), dst.stridesRef(),
        src.address(), src.dtype().code(), src.stridesRef()), "copy");
  }

  @Override
  public void fill(Tensor dst, double value) {
    checkCpu(CpuNative.statex_cpu_fill(dst.dtype().code(), dst.numel(), dst.address(), value), "fill");
  }

  @Override
  public void reduce(ReduceOp op, Tensor out, Tensor argmax, Tensor in, long outer, long n, long inner) {
    checkCpu(CpuNative.statex_cpu_reduce(op.code(), in.dtype().code(), outer, n, inner, out.address(),
        argmax == null ? NULL : argmax.address(), in.address()), "reduce " + op);
  }

  @Override
  public void softmax(Tensor out, Tensor in, boolean log, long rows, long n) {
    checkCpu(CpuNative.statex_cpu_softmax(in.dtype().code(), log ? 1 : 0, rows, n, out.address(), in.address()), "softmax");
  }

  @Override
  public void softmaxBackward(Tensor dx, Tensor y, Tensor dy, boolean log, long rows, long n) {
    checkCpu(CpuNative.statex_cpu_softmax_bwd(y.dtype().code(), log ? 1 : 0, rows, n, dx.address(), y.address(), dy.address()),
        "softmax backward");
  }

  @Override
  public void rmsNorm(Tensor y, Tensor rstd, Tensor x, Tensor w, double eps, long rows, long n) {
    checkCpu(CpuNative.statex_cpu_rmsnorm_fwd(x.dtype().code(), rows, n, eps, y.address(), rstd == null ? NULL : rstd.address(),
        x.address(), w == null ? NULL : w.address()), "rmsnorm");
  }

  @Override
  public void rmsNormBackward(Tensor dx, Tensor dw, Tensor dy, Tensor x, Tensor w, Tensor rstd, long rows, long n) {
    checkCpu(CpuNative.statex_cpu_rmsnorm_bwd(x.dtype().code(), rows, n, dx.address(), dw == null ? NULL : dw.address(),
        dy.address(), x.address(), w == null ? NULL : w.address(), rstd.address()), "rmsnorm backward");
  }

  @Override
  public void embedding(Tensor out, Tensor table, Tensor idx) {
    checkCpu(CpuNative.statex_cpu_embedding_fwd(table.dtype().code(), idx.dtype().code(), idx.numel(), table.size(1),
        table.size(0), out.address(), table.address(), idx.address()), "embedding");
  }

  @Override
  public void embeddingBackward(Tensor dtable, Tensor dout, Tensor idx) {
    checkCpu(CpuNative.statex_cpu_embedding_bwd(dout.dtype().code(), idx.dtype().code(), idx.numel(), dtable.size(1),
        dtable.size(0), dtable.address(), dout.address(), idx.address()), "embedding backward");
  }

  @Override
  public void random(Distribution dist, Tensor out, long seed, long offset, double a, double b) {
    checkCpu(CpuNative.statex_cpu_random(dist.code(), out.dtype().code(), out.numel(), out.address(), seed, offset, a, b),
        "random " + dist);
  }

  /**
   * F32 through OpenBLAS sgemm, F64 through dgemm; BF16 operands are widened to F32 and the result
   * rounded back.
   */
  @Override
  public void gemm(Gemm g) {
    g.validate();
    if (g.c().dtype() != DType.BF16) {
      OpenBlas.gemm(g);
      return;
    }
    try (Tensor a = g.a().to(DType.F32);
        Tensor b = g.b().to(DType.F32);
        Tensor c = g.c().to(DType.F32)) {
      OpenBlas.gemm(new Gemm(c, a, b, g.transA(), g.transB(), g.alpha(), g.beta()));
      copy(g.c(), c);
    }
  }
}

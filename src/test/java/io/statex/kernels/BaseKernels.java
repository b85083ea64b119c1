package io.statex.kernels;

import io.statex.backend.Backends;
import io.statex.jni.CpuNative;
import io.statex.jni.CudaNative;
import io.statex.jni.NativeCall;
import io.statex.tensor.Device;

/**
 * The base kernels (reduce, softmax, RMSNorm, embedding) of one native library, called with raw
 * addresses exactly as the C ABI takes them, so that one suite runs against the CPU and the CUDA
 * entries. Calls return the raw status; {@link #check} turns it into the product's exception after
 * waiting for the device, so that a kernel fault surfaces at the call that caused it.
 */
interface BaseKernels {
  Device device();

  int reduce(int op, int dtype, long outer, long n, long inner, long out, long argmax, long in);

  int softmax(int dtype, int log, long rows, long n, long out, long in);

  int softmaxBwd(int dtype, int log, long rows, long n, long dx, long y, long dy);

  int rmsnormFwd(int dtype, long rows, long n, double eps, long y, long rstd, long x, long w);

  int rmsnormBwd(int dtype, long rows, long n, long dx, long dw, long dy, long x, long w, long rstd);

  /** badPos (device int64) is where the CUDA entries report a bad index; the CPU entries have none. */
  int embeddingFwd(int dtype, int idxDtype, long n, long dim, long vocab, long out, long table, long idx, long badPos);

  int embeddingBwd(int dtype, int idxDtype, long n, long dim, long vocab, long dtable, long dout, long idx, long badPos);

  /** Throws as the product does when status is not OK (IllegalArgumentException for bad input). */
  void check(int status, String op);

  static BaseKernels cpu() {
    return new Cpu();
  }

  static BaseKernels cuda() {
    return new Cuda(Backends.cuda(0).stream());
  }

  final class Cpu implements BaseKernels {
    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public int reduce(int op, int dtype, long outer, long n, long inner, long out, long argmax, long in) {
      return CpuNative.statex_cpu_reduce(op, dtype, outer, n, inner, out, argmax, in);
    }

    @Override
    public int softmax(int dtype, int log, long rows, long n, long out, long in) {
      return CpuNative.statex_cpu_softmax(dtype, log, rows, n, out, in);
    }

    @Override
    public int softmaxBwd(int dtype, int log, long rows, long n, long dx, long y, long dy) {
      return CpuNative.statex_cpu_softmax_bwd(dtype, log, rows, n, dx, y, dy);
    }

    @Override
    public int rmsnormFwd(int dtype, long rows, long n, double eps, long y, long rstd, long x, long w) {
      return CpuNative.statex_cpu_rmsnorm_fwd(dtype, rows, n, eps, y, rstd, x, w);
    }

    @Override
    public int rmsnormBwd(int dtype, long rows, long n, long dx, long dw, long dy, long x, long w, long rstd) {
      return CpuNative.statex_cpu_rmsnorm_bwd(dtype, rows, n, dx, dw, dy, x, w, rstd);
    }

    @Override
    public int embeddingFwd(int dtype, int idxDtype, long n, long dim, long vocab, long out, long table, long idx, long badPos) {
      return CpuNative.statex_cpu_embedding_fwd(dtype, idxDtype, n, dim, vocab, out, table, idx);
    }

    @Override
    public int embeddingBwd(int dtype, int idxDtype, long n, long dim, long vocab, long dtable, long dout, long idx, long badPos) {
      return CpuNative.statex_cpu_embedding_bwd(dtype, idxDtype, n, dim, vocab, dtable, dout, idx);
    }

    @Override
    public void check(int status, String op) {
      NativeCall.checkCpu(status, op);
    }
  }

  /** The CUDA entries on the compute stream of device 0. */
  final class Cuda implements BaseKernels {
    private final long stream;

    Cuda(long stream) {
      this.stream = stream;
    }

    @Override
    public Device device() {
      return Device.cuda(0);
    }

    @Override
    public int reduce(int op, int dtype, long outer, long n, long inner, long out, long argmax, long in) {
      return CudaNative.statex_cuda_reduce(op, dtype, outer, n, inner, out, argmax, in, stream);
    }

    @Override
    public int softmax(int dtype, int log, long rows, long n, long out, long in) {
      return CudaNative.statex_cuda_softmax(dtype, log, rows, n, out, in, stream);
    }

    @Override
    public int softmaxBwd(int dtype, int log, long rows, long n, long dx, long y, long dy) {
      return CudaNative.statex_cuda_softmax_bwd(dtype, log, rows, n, dx, y, dy, stream);
    }

    @Override
    public int rmsnormFwd(int dtype, long rows, long n, double eps, long y, long rstd, long x, long w) {
      return CudaNative.statex_cuda_rmsnorm_fwd(dtype, rows, n, eps, y, rstd, x, w, stream);
    }

    @Override
    public int rmsnormBwd(int dtype, long rows, long n, long dx, long dw, long dy, long x, long w, long rstd) {
      return CudaNative.statex_cuda_rmsnorm_bwd(dtype, rows, n, dx, dw, dy, x, w, rstd, stream);
    }

    @Override
    public int embeddingFwd(int dtype, int idxDtype, long n, long dim, long vocab, long out, long table, long idx, long badPos) {
      return CudaNative.statex_cuda_embedding_fwd(dtype, idxDtype, n, dim, vocab, out, table, idx, badPos, stream);
    }

    @Override
    public int embeddingBwd(int dtype, int idxDtype, long n, long dim, long vocab, long dtable, long dout, long idx, long badPos) {
      return CudaNative.statex_cuda_embedding_bwd(dtype, idxDtype, n, dim, vocab, dtable, dout, idx, badPos, stream);
    }

    @Override
    public void check(int status, String op) {
      NativeCall.checkCuda(status, op);
      Backends.cuda(0).synchronize();
    }
  }
}

package io.statex.backend;

import static io.statex.jni.NativeCall.checkCuda;

import io.statex.jni.CpuNative;
import io.statex.jni.CudaNative;
import io.statex.tensor.Device;
import io.statex.tensor.Storage;
import io.statex.tensor.Tensor;

/**
 * One CUDA device: our kernels (libstatex_cuda) and cuBLAS, all queued on one non-blocking compute
 * stream per device, memory from a {@link CudaAllocator}. Calls make the device current on the
 * calling thread first (cheap when it already is).
 */
public final class CudaBackend implements Backend {
  private static final ThreadLocal<int[]> CURRENT = ThreadLocal.withInitial(() -> new int[] {-1});

  private final Device device;
  private final int index;
  private final long stream;
  private final CudaAllocator allocator;
  private final String name;
  private final long totalBytes;
  private final int smCount;
  private final int ccMajor;
  private final int ccMinor;
  private Cublas cublas;
  // Eight device bytes for the embedding bounds report, and eight host bytes to read them back.
  private long badPosDevice;
  private long badPosHost;
  // Two events for device-side timing (created on first use).
  private long eventStart;
  private long eventEnd;

  CudaBackend(int index) {
    this.index = index;
    this.device = Device.cuda(index);
    makeCurrent();
    byte[] nameBuf = new byte[256];
    long[] total = new long[1];
    int[] sms = new int[1];
    int[] major = new int[1];
    int[] minor = new int[1];
    long[] l2 = new long[1];
    long[] smem = new long[1];
    checkCuda(CudaNative.statex_cuda_device_info(index, nameBuf, nameBuf.length, total, sms, major, minor, l2, smem), "device info");
    int len = 0;
    while (len < nameBuf.length && nameBuf[len] != 0) {
      len++;
    }
    this.name = new String(nameBuf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    this.totalBytes = total[0];
    this.smCount = sms[0];
    this.ccMajor = major[0];
    this.ccMinor = minor[0];
    long[] s = new long[1];
    checkCuda(CudaNative.statex_cuda_stream_create(s), "stream create");
    this.stream = s[0];
    this.allocator = new CudaAllocator(device);
  }

  /** Makes this device current on the calling thread (the CUDA current device is per thread). */
  public void makeCurrent() {
    int[] cur = CURRENT.get();
    if (cur[0] != index) {
      checkCuda(CudaNative.statex_cuda_set_device(index), "cudaSetDevice(" + index + ")");
      cur[0] = index;
    }
  }

  @Override
  public Device device() {
    return device;
  }

  /** The compute stream every op of this device is queued on. */
  public long stream() {
    return stream;
  }

  public CudaAllocator allocator() {
    return allocator;
  }

  public String deviceName() {
    return name;
  }

  public long totalMemory() {
    return totalBytes;
  }

  public int smCount() {
    return smCount;
  }

  public String computeCapability() {
    return ccMajor + "." + ccMinor;
  }

  @Override
  public String describe() {
    return String.format("%s: %s, %.1f GiB, %d SMs, compute capability %d.%d; libstatex_cuda kernels + cuBLAS", device, name,
        totalBytes / 1073741824.0, smCount, ccMajor, ccMinor);
  }

  @Override
  public Storage allocate(long bytes) {
    makeCurrent();
    return allocator.allocate(bytes, stream);
  }

  @Override
  public void synchronize() {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_stream_synchronize(stream), "stream synchronize");
  }

  /**
   * Device milliseconds of the work that work queues on this device's stream, from CUDA events
   * recorded around it (host overhead between launches is excluded, as in CUDA-event timings of
   * other frameworks). Waits for the work to finish.
   */
  public synchronized float deviceMillis(Runnable work) {
    makeCurrent();
    if (eventStart == 0) {
      long[] e = new long[1];
      checkCuda(CudaNative.statex_cuda_event_create(e), "event create");
      eventStart = e[0];
      checkCuda(CudaNative.statex_cuda_event_create(e), "event create");
      eventEnd = e[0];
    }
    checkCuda(CudaNative.statex_cuda_event_record(eventStart, stream), "event record");
    work.run();
    checkCuda(CudaNative.statex_cuda_event_record(eventEnd, stream), "event record");
    checkCuda(CudaNative.statex_cuda_event_synchronize(eventEnd), "event synchronize");
    float[] ms = new float[1];
    checkCuda(CudaNative.statex_cuda_event_elapsed_ms(ms, eventStart, eventEnd), "event elapsed time");
    return ms[0];
  }

  /** Copies bytes from host memory (e.g. a CPU tensor) to device memory; returns when done. */
  public void copyFromHost(long deviceDst, long hostSrc, long bytes) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_copy_from_host(deviceDst, hostSrc, bytes, stream), "host to device copy");
  }

  /** Copies bytes from device memory to host memory; returns when done. */
  public void copyToHost(long hostDst, long deviceSrc, long bytes) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_copy_to_host(hostDst, deviceSrc, bytes, stream), "device to host copy");
  }

  @Override
  public void unary(UnaryOp op, Tensor out, Tensor x, double scalar) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_unary(op.code(), out.dtype().code(), out.ndim(), out.shapeRef(), out.address(), out.stridesRef(),
        x.address(), x.stridesRef(), scalar, stream), "unary " + op);
  }

  @Override
  public void unaryBackward(UnaryOp op, Tensor dx, Tensor dy, Tensor x, double scalar) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_unary_bwd(op.code(), dx.dtype().code(), dx.ndim(), dx.shapeRef(), dx.address(), dx.stridesRef(),
        dy.address(), dy.stridesRef(), x.address(), x.stridesRef(), scalar, stream), "unary backward " + op);
  }

  @Override
  public void binary(BinaryOp op, Tensor out, Tensor a, Tensor b) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_binary(op.code(), out.dtype().code(), out.ndim(), out.shapeRef(), out.address(), out.stridesRef(),
        a.address(), a.stridesRef(), b.address(), b.stridesRef(), stream), "binary " + op);
  }

  @Override
  public void copy(Tensor dst, Tensor src) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_copy(dst.ndim(), dst.shapeRef(), dst.address(), dst.dtype().code(), dst.stridesRef(),
        src.address(), src.dtype().code(), src.stridesRef(), stream), "copy");
  }

  @Override
  public void fill(Tensor dst, double value) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_fill(dst.dtype().code(), dst.numel(), dst.address(), value, stream), "fill");
  }

  @Override
  public void reduce(ReduceOp op, Tensor out, Tensor argmax, Tensor in, long outer, long n, long inner) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_reduce(op.code(), in.dtype().code(), outer, n, inner, out.address(),
        argmax == null ? 0L : argmax.address(), in.address(), stream), "reduce " + op);
  }

  @Override
  public void softmax(Tensor out, Tensor in, boolean log, long rows, long n) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_softmax(in.dtype().code(), log ? 1 : 0, rows, n, out.address(), in.address(), stream), "softmax");
  }

  @Override
  public void softmaxBackward(Tensor dx, Tensor y, Tensor dy, boolean log, long rows, long n) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_softmax_bwd(y.dtype().code(), log ? 1 : 0, rows, n, dx.address(), y.address(), dy.address(), stream),
        "softmax backward");
  }

  @Override
  public void rmsNorm(Tensor y, Tensor rstd, Tensor x, Tensor w, double eps, long rows, long n) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_rmsnorm_fwd(x.dtype().code(), rows, n, eps, y.address(), rstd == null ? 0L : rstd.address(),
        x.address(), w == null ? 0L : w.address(), stream), "rmsnorm");
  }

  @Override
  public void rmsNormBackward(Tensor dx, Tensor dw, Tensor dy, Tensor x, Tensor w, Tensor rstd, long rows, long n) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_rmsnorm_bwd(x.dtype().code(), rows, n, dx.address(), dw == null ? 0L : dw.address(),
        dy.address(), x.address(), w == null ? 0L : w.address(), rstd.address(), stream), "rmsnorm backward");
  }

  @Override
  public void embedding(Tensor out, Tensor table, Tensor idx) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_embedding_fwd(table.dtype().code(), idx.dtype().code(), idx.numel(), table.size(1), table.size(0),
        out.address(), table.address(), idx.address(), badPosBuffer(), stream), "embedding");
    checkBadPosition(idx, table.size(0), "embedding");
  }

  @Override
  public void embeddingBackward(Tensor dtable, Tensor dout, Tensor idx) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_embedding_bwd(dout.dtype().code(), idx.dtype().code(), idx.numel(), dtable.size(1),
        dtable.size(0), dtable.address(), dout.address(), idx.address(), badPosBuffer(), stream), "embedding backward");
    checkBadPosition(idx, dtable.size(0), "embedding backward");
  }

  private synchronized long badPosBuffer() {
    if (badPosDevice == 0) {
      long[] d = new long[1];
      checkCuda(CudaNative.statex_cuda_malloc(d, 8), "cudaMalloc");
      badPosDevice = d[0];
      long[] h = new long[1];
      io.statex.jni.NativeCall.checkCpu(CpuNative.statex_cpu_alloc(h, 8), "host allocation");
      badPosHost = h[0];
    }
    return badPosDevice;
  }

  /** Reads the kernel's first out-of-range position (a synchronisation) and reports it. */
  private void checkBadPosition(Tensor idx, long vocab, String op) {
    copyToHost(badPosHost, badPosDevice, 8);
    long[] pos = new long[1];
    CpuNative.statex_cpu_memcpy(pos, badPosHost, 8);
    if (pos[0] >= 0) {
      throw new IllegalArgumentException(op + ": index at position " + pos[0] + " is outside [0, " + vocab + ")");
    }
  }

  @Override
  public void random(Distribution dist, Tensor out, long seed, long offset, double a, double b) {
    makeCurrent();
    checkCuda(CudaNative.statex_cuda_random(dist.code(), out.dtype().code(), out.numel(), out.address(), seed, offset, a, b, stream),
        "random " + dist);
  }

  @Override
  public void gemm(Gemm g) {
    g.validate();
    if (g.m() == 0 || g.n() == 0 || g.batch() == 0) {
      return;
    }
    makeCurrent();
    synchronized (this) {
      if (cublas == null) {
        cublas = new Cublas(stream, allocator);
      }
    }
    cublas.gemm(g);
  }
}

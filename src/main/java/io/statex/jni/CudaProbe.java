package io.statex.jni;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds out, without ever throwing, whether CUDA is usable: the CUDA library of this build loads, and
 * the runtime reports at least one device. The bytedeco CUDA presets (cuBLAS, NCCL) must only be
 * touched after this says yes: their JNI needs libcuda.so.1 and dies on GPU-less machines.
 */
public final class CudaProbe {

  /** What the probe found. {@code reason} says why CUDA is or is not usable, in one line. */
  public record Result(boolean libraryLoaded, int deviceCount, String reason, Throwable cause) {
    public boolean usable() {
      return libraryLoaded && deviceCount > 0;
    }

    /** The cause and its causes, one message per line (empty when there was no exception). */
    public List<String> causeChain() {
      List<String> chain = new ArrayList<>();
      for (Throwable t = cause; t != null; t = t.getCause()) {
        chain.add(t.getClass().getName() + ": " + t.getMessage());
        if (t.getCause() == t) {
          break;
        }
      }
      return chain;
    }
  }

  private static volatile Result cached;

  private CudaProbe() {}

  /** The probe's result, computed once per process. */
  public static Result probe() {
    Result r = cached;
    if (r == null) {
      synchronized (CudaProbe.class) {
        if (cached == null) {
          cached = run();
        }
        r = cached;
      }
    }
    return r;
  }

  private static Result run() {
    try {
      CudaNative.load();
    } catch (Throwable t) {
      return new Result(false, 0, "the CUDA library of this build could not be loaded (built without nvcc, or libcudart.so.13 missing)", t);
    }
    try {
      int[] count = new int[1];
      int status = CudaNative.statex_cuda_device_count(count);
      if (status != NativeCall.OK || count[0] <= 0) {
        String why = CudaNative.statex_cuda_last_error();
        return new Result(true, 0, "no CUDA device: " + (why.isEmpty() ? "the runtime reports 0 devices" : why), null);
      }
      return new Result(true, count[0], count[0] + " CUDA device(s) found", null);
    } catch (Throwable t) {
      return new Result(true, 0, "the CUDA device query failed", t);
    }
  }
}

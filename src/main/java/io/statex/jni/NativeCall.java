package io.statex.jni;

import java.util.function.Supplier;

/** Turns a native {@code statex_status} into an exception that carries the library's message. */
public final class NativeCall {
  public static final int OK = 0;
  public static final int INVALID_ARGUMENT = 1;
  public static final int UNSUPPORTED = 2;
  public static final int CUDA_ERROR = 3;
  public static final int OUT_OF_MEMORY = 4;
  public static final int INTERNAL = 5;

  private NativeCall() {}

  /** Throws unless {@code status} is OK: invalid arguments as IllegalArgumentException. */
  public static void check(int status, String op, Supplier<String> lastError) {
    if (status == OK) {
      return;
    }
    String message = op + ": " + lastError.get();
    switch (status) {
      case INVALID_ARGUMENT:
        throw new IllegalArgumentException(message);
      case UNSUPPORTED:
        throw new UnsupportedOperationException(message);
      default:
        throw new NativeException(status, message);
    }
  }

  public static void checkCpu(int status, String op) {
    check(status, op, CpuNative::statex_cpu_last_error);
  }

  public static void checkCuda(int status, String op) {
    check(status, op, CudaNative::statex_cuda_last_error);
  }
}

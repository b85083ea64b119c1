package io.statex.cli;

import io.statex.jni.CpuNative;
import io.statex.jni.CudaProbe;

/** Placeholder entry point while the CLI is assembled. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("libc " + CpuNative.statex_cpu_libc_version());
    System.out.println("cuda " + CudaProbe.probe());
  }
}

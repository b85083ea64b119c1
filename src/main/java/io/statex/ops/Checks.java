package io.statex.ops;

import io.statex.tensor.DType;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/** Argument checks shared by the ops: each failure names the op, the argument, expected and actual. */
public final class Checks {
  private Checks() {}

  public static void notNull(String op, String name, Tensor t) {
    if (t == null) {
      throw new IllegalArgumentException(op + ": " + name + " is null");
    }
    if (t.isClosed()) {
      throw new IllegalArgumentException(op + ": " + name + " is closed");
    }
  }

  /** A float tensor: F32 or BF16, or F64 on the CPU (F64 tensors cannot exist on CUDA). */
  public static void floatDType(String op, String name, Tensor t) {
    notNull(op, name, t);
    if (!t.dtype().isFloat()) {
      String allowed = t.device().isCuda() ? "F32 or BF16" : "F32, BF16 or F64";
      throw new IllegalArgumentException(op + ": " + name + " must be " + allowed + ", got " + t.dtype());
    }
  }

  public static void sameDType(String op, String na, Tensor a, String nb, Tensor b) {
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(op + ": " + na + " is " + a.dtype() + " but " + nb + " is " + b.dtype());
    }
  }

  public static void sameDevice(String op, String na, Tensor a, String nb, Tensor b) {
    if (!a.device().equals(b.device())) {
      throw new IllegalArgumentException(op + ": " + na + " is on " + a.device() + " but " + nb + " is on " + b.device());
    }
  }

  public static void dtype(String op, String name, Tensor t, DType... allowed) {
    notNull(op, name, t);
    for (DType d : allowed) {
      if (t.dtype() == d) {
        return;
      }
    }
    throw new IllegalArgumentException(op + ": " + name + " must be one of " + Arrays.toString(allowed) + ", got " + t.dtype());
  }

  public static void rank(String op, String name, Tensor t, int rank) {
    if (t.ndim() != rank) {
      throw new IllegalArgumentException(op + ": " + name + " must have rank " + rank + ", got shape " + Arrays.toString(t.shapeRef()));
    }
  }

  public static void shape(String op, String name, Tensor t, long... expected) {
    if (!Arrays.equals(t.shapeRef(), expected)) {
      throw new IllegalArgumentException(op + ": " + name + " must have shape " + Arrays.toString(expected) + ", got " + Arrays.toString(t.shapeRef()));
    }
  }
}

package io.statex.data;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training or evaluation batch: inputs and targets, row-major [batch, length]. A target of
 * {@link #IGNORE} (-1) is left out of the loss and of {@link #accuracy}; every other target is a
 * token id. The batch owns its arrays (they are not copied): callers read them and do not change
 * them. Equality compares contents.
 */
public record TokenBatch(int batch, int length, int[] inputs, int[] targets) {
  /** The target that the loss and accuracy skip. */
  public static final int IGNORE = -1;

  public TokenBatch {
    if (batch < 1 || length < 1) {
      throw new IllegalArgumentException("batch x length: expected both >= 1, found " + batch + " x " + length);
    }
    long n = (long) batch * length;
    checkArray("inputs", inputs, n, 0);
    checkArray("targets", targets, n, IGNORE);
  }

  private static void checkArray(String name, int[] a, long n, int min) {
    Objects.requireNonNull(a, name);
    if (a.length != n) {
      throw new IllegalArgumentException(name + ".length: expected batch x length = " + n + ", found " + a.length);
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] < min) {
        throw new IllegalArgumentException(name + "[" + i + "]: expected >= " + min + ", found " + a[i]);
      }
    }
  }

  /** Number of targets the loss counts (those not {@link #IGNORE}). */
  public int targetCount() {
    int c = 0;
    for (int t : targets) {
      if (t != IGNORE) {
        c++;
      }
    }
    return c;
  }

  /**
   * The fraction of counted targets predicted exactly. predicted holds either one id per position
   * (batch x length, e.g. the argmax everywhere; only counted positions are scored) or one id per
   * counted target in row-major order ({@link #targetCount} entries). The two readings coincide
   * when every position is counted.
   */
  public double accuracy(int[] predicted) {
    Objects.requireNonNull(predicted, "predicted");
    int counted = targetCount();
    if (counted == 0) {
      throw new IllegalArgumentException("accuracy: the batch has no counted targets (all are IGNORE)");
    }
    boolean full = predicted.length == targets.length;
    if (!full && predicted.length != counted) {
      throw new IllegalArgumentException("predicted.length: expected batch x length = " + targets.length
          + " or the number of counted targets = " + counted + ", found " + predicted.length);
    }
    int correct = 0;
    for (int i = 0, k = 0; i < targets.length; i++) {
      if (targets[i] != IGNORE) {
        correct += predicted[full ? i : k++] == targets[i] ? 1 : 0;
      }
    }
    return (double) correct / counted;
  }

  /** Inputs and targets as [batch, length] tensors of dtype I32 or I64 on device (the caller closes them). */
  public BatchTensors toTensors(Device device, DType dtype) {
    Objects.requireNonNull(device, "device");
    if (dtype != DType.I32 && dtype != DType.I64) {
      throw new IllegalArgumentException("dtype: expected I32 or I64, found " + dtype);
    }
    Tensor in = tensor(inputs, device, dtype);
    try {
      return new BatchTensors(in, tensor(targets, device, dtype));
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private Tensor tensor(int[] data, Device device, DType dtype) {
    try (Tensor host = dtype == DType.I32 ? Tensor.ofInts(data, batch, length) : Tensor.ofLongs(widen(data), batch, length)) {
      return host.to(device);
    }
  }

  private static long[] widen(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenBatch b && b.batch == batch && b.length == length && Arrays.equals(b.inputs, inputs)
        && Arrays.equals(b.targets, targets);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * batch + length) + 17 * Arrays.hashCode(inputs) + Arrays.hashCode(targets);
  }

  @Override
  public String toString() {
    return "TokenBatch[" + batch + " x " + length + ", " + targetCount() + " counted targets]";
  }
}

package io.statex.ops;

import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.util.Arrays;

/**
 * How a test input is made: shape, dtype, value distribution and the kind of view the op receives
 * (contiguous, a transposed view, or a strided slice), so every op is also tested on non-contiguous
 * inputs. Values come from the counter-based generator on the CPU, then move to the device.
 */
public record Input(long[] shape, DType dtype, Values values, View view, long range) {
  public enum Values { NORMAL, POSITIVE, INDICES }

  public enum View { CONTIGUOUS, TRANSPOSED, STRIDED }

  public static Input normal(DType dtype, long... shape) {
    return new Input(shape, dtype, Values.NORMAL, View.CONTIGUOUS, 0);
  }

  public static Input positive(DType dtype, long... shape) {
    return new Input(shape, dtype, Values.POSITIVE, View.CONTIGUOUS, 0);
  }

  public static Input indices(DType dtype, long vocab, long... shape) {
    return new Input(shape, dtype, Values.INDICES, View.CONTIGUOUS, vocab);
  }

  public Input transposed() {
    return new Input(shape, dtype, values, View.TRANSPOSED, range);
  }

  public Input strided() {
    return new Input(shape, dtype, values, View.STRIDED, range);
  }

  /** The input on device: same values on every device for the same seed. */
  public Tensor make(Device device, long seed) {
    long[] storageShape = shape.clone();
    int r = shape.length;
    if (view == View.TRANSPOSED) {
      storageShape[r - 1] = shape[r - 2];
      storageShape[r - 2] = shape[r - 1];
    } else if (view == View.STRIDED) {
      storageShape[r - 1] = 2 * shape[r - 1];
    }
    try (Tensor base = values(storageShape, seed);
        Tensor typed = base.to(dtype);
        Tensor moved = typed.to(device)) {
      switch (view) {
        case TRANSPOSED:
          return moved.transpose(-1, -2);
        case STRIDED:
          return moved.slice(r - 1, 0, storageShape[r - 1], 2);
        default:
          return moved.view();
      }
    }
  }

  /** F64 inputs are drawn in F64 (53 random bits), so that they are not F32 values widened. */
  private Tensor values(long[] s, long seed) {
    DType drawn = dtype == DType.F64 ? DType.F64 : DType.F32;
    switch (values) {
      case POSITIVE:
        return Tensor.uniform(drawn, Device.CPU, seed, 0.5, 2.0, s);
      case INDICES:
        try (Tensor u = Tensor.uniform(DType.F32, Device.CPU, seed, 0, range, s)) {
          float[] f = u.toFloatArray();
          long[] ids = new long[f.length];
          for (int i = 0; i < f.length; i++) {
            ids[i] = Math.min(range - 1, (long) Math.floor(f[i]));
          }
          return Tensor.ofLongs(ids, s);
        }
      default:
        return Tensor.normal(drawn, Device.CPU, seed, 0, 1, s);
    }
  }

  public String describe() {
    return dtype + Arrays.toString(shape) + (view == View.CONTIGUOUS ? "" : "-" + view.name().toLowerCase());
  }
}

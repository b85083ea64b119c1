package io.statex.nn;

import io.statex.backend.Distribution;
import io.statex.tensor.DType;
import io.statex.tensor.Device;
import io.statex.tensor.Tensor;
import java.nio.charset.StandardCharsets;

/**
 * Parameter allocation and the initialisers the reference implementations use, drawn from the
 * counter-based generator: a parameter's values depend only on the model seed and its name, so a
 * model initialised on the CPU or on a GPU is the same model.
 */
public record Init(DType dtype, Device device, long seed) {

  /** The stream of one parameter: the model seed mixed with a 64-bit FNV-1a hash of its name. */
  public long seedOf(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return seed * 0x9E3779B97F4A7C15L ^ h;
  }

  public Tensor zeros(long... shape) {
    return Tensor.zeros(dtype, device, shape);
  }

  public Tensor ones(long... shape) {
    return Tensor.full(dtype, device, 1.0, shape);
  }

  /** In place: N(0, std) (torch.nn.init.normal_). */
  public void normal(Tensor t, String name, double std) {
    t.backend().random(Distribution.NORMAL, t, seedOf(name), 0, 0, std);
  }

  /** In place: U(-bound, bound). */
  public void uniform(Tensor t, String name, double bound) {
    t.backend().random(Distribution.UNIFORM, t, seedOf(name), 0, -bound, bound);
  }

  /** In place: U(lo, hi). */
  public void uniform(Tensor t, String name, double lo, double hi) {
    t.backend().random(Distribution.UNIFORM, t, seedOf(name), 0, lo, hi);
  }

  /**
   * torch's default for Linear and Conv1d weights, kaiming_uniform_(a = sqrt 5): U(-1/sqrt(fan_in),
   * 1/sqrt(fan_in)), fan_in = the product of all dimensions but the first.
   */
  public void torchDefault(Tensor t, String name) {
    uniform(t, name, 1 / Math.sqrt(t.numel() / t.size(0)));
  }

  /** Xavier (Glorot) uniform with a gain: U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)). */
  public void xavierUniform(Tensor t, String name, double gain) {
    double fanOut = t.size(0), fanIn = t.numel() / t.size(0);
    uniform(t, name, gain * Math.sqrt(6 / (fanIn + fanOut)));
  }
}

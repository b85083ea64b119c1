package io.statex.statex;

import io.statex.nn.Init;
import io.statex.nn.Parameter;
import java.util.Map;

/**
 * Fresh values for the expanded model, from the expansion's seed. Each draw uses the stream of the
 * parameter's full name prefixed with {@code "statex:"}, so an expansion seeded like the original
 * training run does not redraw the original model's initial values.
 */
final class Draws {
  static final String STREAM_PREFIX = "statex:";

  private final Init init;
  private final Map<Parameter, String> names;

  Draws(Init init, Map<Parameter, String> names) {
    this.init = init;
    this.names = names;
  }

  /** Xavier-uniform with a gain: U(-b, b), b = gain sqrt(6 / (fan_in + fan_out)). */
  void xavierUniform(Parameter p, double gain) {
    init.xavierUniform(p.value(), stream(p), gain);
  }

  /** torch's default for Linear and Conv1d weights: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
  void torchDefault(Parameter p) {
    init.torchDefault(p.value(), stream(p));
  }

  /** U(-bound, bound). */
  void uniform(Parameter p, double bound) {
    init.uniform(p.value(), stream(p), bound);
  }

  private String stream(Parameter p) {
    String name = names.get(p);
    if (name == null) {
      throw new IllegalStateException("expand: a parameter of the expanded model has no name");
    }
    return STREAM_PREFIX + name;
  }
}

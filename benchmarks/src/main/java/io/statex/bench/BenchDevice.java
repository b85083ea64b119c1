package io.statex.bench;

import io.statex.backend.Backend;
import io.statex.backend.Backends;
import io.statex.tensor.Device;

/** Device handling shared by the benchmarks: parse the @Param, fail clearly if it is unusable. */
final class BenchDevice {
  private BenchDevice() {}

  static Backend open(String spec) {
    Device d = Device.parse(spec);
    Backend b = Backends.forDevice(d); // throws with the probe's reason if CUDA is not usable
    b.synchronize();
    return b;
  }
}

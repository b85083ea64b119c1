package io.statex.cli;

import io.statex.backend.Backends;
import picocli.CommandLine.Option;

/** The {@code --device} option shared by every command that runs ops. */
public final class DeviceOption {
  @Option(names = "--device", paramLabel = "DEVICE",
      description = "cpu, cuda or cuda:N; default: STATEX_DEVICE, else CUDA when usable, else cpu.")
  String device;

  /** Applies the choice (logging it) and returns it. */
  public Backends.Selection select() {
    return Backends.select(device);
  }
}

package io.statex.cli;

import io.statex.backend.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code statex demo}: the main job on the embedded default. It reports the environment and runs the
 * op benchmark on the default device; the training and StateX demonstration will replace it when the
 * model and trainer layers exist.
 */
@Command(name = "demo", description = "Environment report plus a quick op benchmark on the default device.")
public final class DemoCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    Backends.Selection s = InfoCommand.report(System.out, device);
    if (s == null) {
      return 2;
    }
    BenchCommand.run(System.out, s.device(), 15, 0);
    return 0;
  }
}

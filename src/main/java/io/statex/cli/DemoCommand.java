package io.statex.cli;

import io.statex.tensor.Device;
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
    InfoCommand.report(System.out, device);
    Device d = device.select().device();
    BenchCommand.run(System.out, d, 15, 0);
    return 0;
  }
}

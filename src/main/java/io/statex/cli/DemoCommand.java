package io.statex.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code statex demo}: the main job on the embedded default, with no downloads: the environment
 * report, then a tiny GLA trained on multi-query associative recall on the default device (the
 * defaults of {@code statex train}), ending with its recall accuracy on held-out examples.
 */
@Command(name = "demo", description = "Environment report, then a tiny GLA trained on associative recall.")
public final class DemoCommand implements Callable<Integer> {
  @Mixin DeviceOption device;

  @Override
  public Integer call() throws Exception {
    if (InfoCommand.report(System.out, device) == null) {
      return 2;
    }
    System.out.println();
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs(device.device == null ? new String[0] : new String[] {"--device", device.device});
    return train.call();
  }
}

package io.statex.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code statex}: the command-line entry point. */
@Command(
    name = "statex",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Recurrent language models with large states: kernels, training, StateX expansion.",
    subcommands = {InfoCommand.class, BenchCommand.class, DemoCommand.class, TrainCommand.class, ExpandCommand.class,
        EvalCommand.class, TokenizeCommand.class, ConvertCommand.class, GenerateCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    Logging.configure();
    int code = new CommandLine(new Main()).setExecutionExceptionHandler(Main::onError).execute(args);
    System.exit(code);
  }

  /** Errors from bad input or an unusable device end with their message, not a stack trace. */
  private static int onError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    cmd.getErr().println("statex: " + e.getMessage());
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      cmd.getErr().println("  caused by " + t.getClass().getSimpleName() + ": " + t.getMessage());
    }
    if (Boolean.getBoolean("statex.trace")) {
      e.printStackTrace(cmd.getErr());
    }
    return e instanceof IllegalArgumentException || e instanceof IllegalStateException ? 2 : 1;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}

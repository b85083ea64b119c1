package io.statex.io.cli;

import io.statex.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs a statex command in-process: its exit code, stdout, and the exception it failed with. */
final class Cli {
  record Result(int code, String out, Exception error) {}

  private Cli() {}

  static Result run(String... args) {
    Exception[] error = {null};
    CommandLine cmd = new CommandLine(new Main()).setExecutionExceptionHandler((e, c, p) -> {
      error[0] = e;
      return 1;
    });
    PrintStream saved = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int code = cmd.execute(args);
      return new Result(code, bytes.toString(StandardCharsets.UTF_8), error[0]);
    } finally {
      System.setOut(saved);
    }
  }
}

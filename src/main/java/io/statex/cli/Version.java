package io.statex.cli;

import picocli.CommandLine;

/** The engine version from the jar manifest (or "dev" when run from classes). */
public final class Version implements CommandLine.IVersionProvider {
  public static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"statex " + get()};
  }
}

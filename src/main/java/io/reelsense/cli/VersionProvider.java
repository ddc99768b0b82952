package io.reelsense.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest (falls back to "dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {

  /** The code version recorded in model bundles and reports. */
  public static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"reelsense " + version(), "Java " + System.getProperty("java.version")};
  }
}

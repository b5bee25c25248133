package dev.switchboard.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** {@code switchboard version}. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {

  static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  @Override
  public Integer call() {
    System.out.println("switchboard " + version() + " (Java " + Runtime.version() + ")");
    return 0;
  }

  /** Lets {@code --version} print the same. */
  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"switchboard " + version()};
    }
  }
}

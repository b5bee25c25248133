package dev.switchboard.app;

import org.jspecify.annotations.Nullable;
import dev.switchboard.app.cli.CreditsCommand;
import dev.switchboard.app.cli.KeysCommand;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.mock.MockUpstreamCommand;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command line. */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Self-hosted AI model gateway: one OpenAI/OpenRouter-compatible endpoint in front of many providers.",
    subcommands = {ServeCommand.class, VersionCommand.class, CommandLine.HelpCommand.class})
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    // Commands other than serve print their own output; the libraries' INFO lines would bury it.
    // serve configures logging again from its config file.
    LoggingSetup.configure("warn");
    ServeCommand serve = ServeCommand.parseSimple(args);
    if (serve != null) {
      return serve.call();
    }
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand("keys", new KeysCommand(Main::storageFor));
    cli.addSubcommand("credits", new CreditsCommand(Main::storageFor));
    cli.addSubcommand("mock-upstream", new MockUpstreamCommand());
    return cli.execute(args);
  }

  private static dev.switchboard.config.StorageConfig storageFor(@Nullable Path configFile) {
    return new ConfigLoader(GatewayApp.providerKinds(), System.getenv()).load(configFile).storage();
  }
}

package dev.switchboard.app;

import org.jspecify.annotations.Nullable;
import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.keys.IssuedKey;
import dev.switchboard.provider.ConfiguredProvider;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code switchboard serve}: runs the gateway until stopped. */
@Command(name = "serve", description = "Run the gateway (on embedded defaults when no config is given).")
final class ServeCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger("switchboard");

  /** The longest a shutdown may take (SIGTERM to exit) before the process halts regardless. */
  static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(15);

  @Option(names = {"-c", "--config"}, description = "YAML config file (optional).")
  @Nullable Path config;

  /**
   * The command for {@code serve}, {@code serve -c FILE}, {@code serve --config FILE} or {@code
   * serve --config=FILE}, read without picocli; null for anything else, which picocli parses (and
   * explains). Picocli builds its model of every command by reflection before parsing, about a
   * fifth of the gateway's start-up, and its classes (compiled for Java 5) stay out of the AOT
   * cache; the server's own command line needs none of it.
   */
  static @Nullable ServeCommand parseSimple(String... args) {
    if (args.length == 0 || !args[0].equals("serve")) {
      return null;
    }
    ServeCommand serve = new ServeCommand();
    if (args.length == 1) {
      return serve;
    }
    String value = null;
    if (args.length == 2 && args[1].startsWith("--config=")) {
      value = args[1].substring("--config=".length());
    } else if (args.length == 3 && (args[1].equals("-c") || args[1].equals("--config"))) {
      value = args[2];
    }
    if (value == null || value.isEmpty() || value.startsWith("-")) {
      return null;
    }
    try {
      serve.config = Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
    return serve;
  }

  @Override
  public Integer call() {
    GatewayConfig loaded;
    ConfigLoader loader = new ConfigLoader(GatewayApp.providerKinds(), System.getenv());
    try {
      loaded = loader.load(config);
    } catch (ConfigException e) {
      System.err.println("switchboard: invalid configuration: " + e.getMessage());
      return 2;
    }
    LoggingSetup.configure(loaded.logging().level());
    loader.warnings().forEach(w -> LOG.log(Level.WARNING, w));
    long start = System.nanoTime();
    GatewayApp app;
    try {
      app = GatewayApp.start(loaded, System.getenv());
    } catch (ConfigException e) {
      System.err.println("switchboard: invalid configuration: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // Straight to stderr: java.util.logging's own shutdown hook may have closed its handlers already.
      long began = System.nanoTime();
      System.err.println(Instant.now() + " INFO switchboard: shutting down: no new connections; requests in"
          + " progress have " + GatewayApp.SHUTDOWN_GRACE.toSeconds() + " s, then open streams are cut");
      Thread watchdog = Thread.ofPlatform().daemon().name("shutdown-watchdog").start(ServeCommand::watchdog);
      app.close();
      watchdog.interrupt();
      System.err.println(Instant.now() + " INFO switchboard: stopped in "
          + (System.nanoTime() - began) / 1_000_000 + " ms");
      stopped.countDown();
    }, "switchboard-shutdown"));
    banner(loaded, app, (System.nanoTime() - start) / 1_000_000);
    if (app.bootstrapKey() != null) {
      showBootstrapKey(app.bootstrapKey());
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * Ends the process if the shutdown has not finished within {@link #SHUTDOWN_LIMIT}, with the
   * threads' stacks on stderr to say what it was waiting for. Every step of {@link GatewayApp#close}
   * is bounded, so this is the last resort; what the process had in flight is recovered by the next
   * start, as after a crash.
   */
  private static void watchdog() {
    try {
      Thread.sleep(SHUTDOWN_LIMIT.toMillis());
    } catch (InterruptedException e) {
      return; // the shutdown finished
    }
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
      for (StackTraceElement frame : stack) {
        dump.append("    at ").append(frame).append('\n');
      }
    });
    System.err.println(Instant.now() + " ERROR switchboard: shutdown still not done after "
        + SHUTDOWN_LIMIT.toSeconds() + " s; stopping now. Threads:\n" + dump);
    System.err.flush();
    Runtime.getRuntime().halt(1);
  }

  /**
   * Shows the generated management key once, on stderr and never through the logger: log lines may
   * be shipped elsewhere, and no secret goes into one.
   */
  private static void showBootstrapKey(IssuedKey issued) {
    String rule = "=".repeat(78);
    System.err.println(rule);
    System.err.println(" Switchboard created a management key, because the store had none.");
    System.err.println(" It manages keys and credits (/api/v1/keys, /api/v1/credits) and cannot call");
    System.err.println(" models. It is shown only this once; store it now:");
    System.err.println();
    System.err.println("   " + issued.plaintext());
    System.err.println();
    System.err.println(" (To choose the management key yourself, set " + GatewayApp.ADMIN_KEY_ENV + ".)");
    System.err.println(rule);
    System.err.flush();
  }

  private static void banner(GatewayConfig config, GatewayApp app, long startMillis) {
    String providers = app.providers().all().isEmpty()
        ? "none (set OPENAI_API_KEY or another provider key, or configure providers: in a config file)"
        : app.providers().all().stream().map(ConfiguredProvider::slug).collect(Collectors.joining(", "));
    String base = "http://" + config.server().host() + ":" + app.port();
    LOG.log(Level.INFO, "Switchboard " + VersionCommand.version() + " ready in " + startMillis + " ms on " + base
        + "/api/v1 (also " + base + "/v1)");
    LOG.log(Level.INFO, "storage: " + config.storage().redactedUrl() + "; providers on: " + providers
        + "; models served: " + app.catalog().size());
    LOG.log(Level.INFO, "create an API key with: bin/switchboard keys create --name my-app"
        + (config.source() == null ? "" : " --config " + config.source()));
  }
}

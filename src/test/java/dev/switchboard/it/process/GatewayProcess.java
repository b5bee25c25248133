package dev.switchboard.it.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway in its own JVM ({@code switchboard serve --config FILE}), for the tests that must
 * kill a gateway with SIGKILL or run several nodes side by side. The child runs the test JVM's
 * class path, so it is exactly the code under test; its stdout and stderr go to {@code
 * node-NAME.log} in the working folder, whose tail is shown when it fails to start.
 */
public final class GatewayProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;

  private GatewayProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts a gateway whose config {@code yaml} gets {@code {port}} replaced by a free port, and waits
   * until {@code /health/ready} answers 200.
   *
   * @param env extra environment for the child (e.g. {@code SWITCHBOARD_ADMIN_KEY}, provider keys)
   */
  public static GatewayProcess start(String name, Path dir, String yaml, Map<String, String> env) {
    return start(name, dir, freePort(), yaml, env);
  }

  /** As {@link #start(String, Path, String, Map)} on a given port (a restarted node keeps its port). */
  public static GatewayProcess start(String name, Path dir, int port, String yaml, Map<String, String> env) {
    try {
      Path config = dir.resolve("node-" + name + ".yaml");
      Files.writeString(config, yaml.replace("{port}", Integer.toString(port)));
      Path log = dir.resolve("node-" + name + ".log");
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--enable-native-access=ALL-UNNAMED",
          "-Xmx256m",
          "-cp",
          System.getProperty("java.class.path"),
          "dev.switchboard.app.Main",
          "serve",
          "--config",
          config.toString()));
      ProcessBuilder builder = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> childEnv = new HashMap<>(env);
      builder.environment().putAll(childEnv);
      GatewayProcess node = new GatewayProcess(name, port, log, builder.start());
      node.awaitReady();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM: the graceful shutdown path. */
  public void stop() {
    process.destroy();
    waitFor();
  }

  /**
   * SIGTERM, then waits up to {@code bound} for the process to exit.
   *
   * @return whether it exited within the bound (if not, it is killed with SIGKILL)
   */
  public boolean terminateWithin(Duration bound) {
    process.destroy();
    try {
      if (process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    waitFor();
    return false;
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }

  private void waitFor() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
        .timeout(Duration.ofSeconds(2))
        .build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "gateway " + name + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for gateway " + name, e);
      }
      sleep(100);
    }
    process.destroyForcibly();
    throw new IllegalStateException("gateway " + name + " was not ready within " + READY_TIMEOUT + ":\n" + tail());
  }

  private String tail() {
    String text = logText();
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The config of a gateway on {@code storage} in front of one OpenAI-compatible {@code mock} that
   * serves {@code mock/mock-model} at 1 and 2 µUSD per prompt and completion token, with {@code
   * {port}} for {@link #start}; {@code extra} adds top-level sections (YAML lines).
   */
  public static String mockYaml(String storageUrl, String mockUrl, String extra) {
    return """
        server: { host: 127.0.0.1, port: {port} }
        storage: { url: '%s' }
        %sproviders:
          mock: { kind: openai-compatible, base_url: %s }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
        """.formatted(storageUrl, extra, mockUrl);
  }

  /** POSTs JSON {@code body} to {@code path} with {@code key} as the bearer. */
  public HttpResponse<String> post(HttpClient http, String path, String body, String key, Duration timeout)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("authorization", "Bearer " + key)
        .header("content-type", "application/json")
        .timeout(timeout)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A port nobody listens on right now (another process may take it before the child binds it). */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

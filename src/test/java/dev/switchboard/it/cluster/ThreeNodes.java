package dev.switchboard.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.it.process.GatewayProcess;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.store.Database;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Three real gateway processes sharing one PostgreSQL schema (fresh per fixture) and one Redis
 * (under a fresh key prefix), in front of two mocks: {@code good}, and {@code broken}, whose every
 * answer is a 500. {@code mock/mock-model} is served by {@code good}; {@code mock/flaky-model} by
 * {@code broken} (cheaper, so first by price) and {@code good}. One failure opens an endpoint's
 * circuit for a minute. Redis commands may take 2 s (not the default 250 ms) before a node falls
 * back to its own state: these tests run on a busy 2-core machine and are about a healthy Redis.
 */
public final class ThreeNodes implements AutoCloseable {
  public static final String MODEL = "mock/mock-model";
  public static final String FLAKY = "mock/flaky-model";
  static final ObjectMapper JSON = new ObjectMapper();

  public final MockUpstream good;
  public final MockUpstream broken;
  public final List<GatewayProcess> nodes = new ArrayList<>();
  public final String admin = ApiKeys.create().generate();
  private final TestStore store;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public ThreeNodes(Path dir, String redisUrl, String redisPrefix) {
    this(dir, redisUrl, redisPrefix, "");
  }

  /** As above, with {@code extraYaml} (top-level sections, e.g. {@code accounting: ...}) in every node's config. */
  public ThreeNodes(Path dir, String redisUrl, String redisPrefix, String extraYaml) {
    good = MockUpstream.start(MockOptions.of().withPort(0));
    broken = MockUpstream.start(MockOptions.of().withPort(0));
    store = TestPostgres.freshSchema();
    try {
      String yaml = """
          server: { host: 127.0.0.1, port: {port} }
          storage: { url: "%s" }
          redis: { url: "%s", prefix: "%s", timeout: 2s }
          routing: { health: { breaker_failures: 1, breaker_cooldown: 60s } }
          providers:
            good: { kind: openai-compatible, base_url: %s }
            broken: { kind: openai-compatible, base_url: %s, headers: { x-mock-fault: "status=500" } }
          models:
            - id: mock/mock-model
              context_length: 32768
              endpoints:
                - provider: good
                  model: mock-model
                  pricing: { prompt: "0.000001", completion: "0.000002" }
            - id: mock/flaky-model
              context_length: 32768
              endpoints:
                - provider: broken
                  model: flaky-model
                  pricing: { prompt: "0.0000001", completion: "0.0000002" }
                - provider: good
                  model: steady-model
                  pricing: { prompt: "0.000001", completion: "0.000002" }
          """.formatted(store.config().url(), redisUrl, redisPrefix, good.baseUrl(), broken.baseUrl())
          + extraYaml;
      for (String name : List.of("a", "b", "c")) {
        nodes.add(GatewayProcess.start(name, dir, yaml, Map.of("SWITCHBOARD_ADMIN_KEY", admin)));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public GatewayProcess node(int index) {
    return nodes.get(index);
  }

  /** Opens the shared database, to check the books in SQL. */
  public Database openStore() {
    return store.open();
  }

  /** Creates an inference key through node a's API; returns [plaintext, hash]. */
  public String[] createKey(String extraFields) {
    HttpResponse<String> created = send(node(0), "POST", "/api/v1/keys",
        "{\"name\":\"cluster\"" + (extraFields.isEmpty() ? "" : "," + extraFields) + "}", admin);
    if (created.statusCode() != 201) {
      throw new AssertionError("key creation failed: " + created.statusCode() + " " + created.body());
    }
    JsonNode body = json(created.body());
    return new String[] {body.path("key").asText(), body.path("data").path("hash").asText()};
  }

  public static String chatBody(String model, String text, String extra) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]"
        + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  public HttpResponse<String> chat(int node, String key, String body) {
    return send(node(node), "POST", "/api/v1/chat/completions", body, key);
  }

  public HttpResponse<String> send(GatewayProcess node, String method, String path, @Nullable String body,
      @Nullable String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (key != null) {
      request.header("authorization", "Bearer " + key);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  public static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /** What the nodes said about Redis (degraded, recovered), for assertion messages. */
  public String redisLines() {
    StringBuilder all = new StringBuilder();
    for (GatewayProcess node : nodes) {
      node.logText().lines().filter(line -> line.contains("RedisLink")).forEach(line -> all.append(line).append('\n'));
    }
    return all.toString();
  }

  /** The node logs, for assertion messages. */
  public String logs() {
    StringBuilder all = new StringBuilder();
    for (GatewayProcess node : nodes) {
      String text = node.logText();
      all.append("--- ").append(node.baseUrl()).append('\n')
          .append(text.length() <= 3000 ? text : text.substring(text.length() - 3000));
    }
    return all.toString();
  }

  @Override
  public void close() {
    for (GatewayProcess node : nodes) {
      node.close();
    }
    good.close();
    broken.close();
    http.close();
    try {
      store.close();
    } catch (Exception e) {
      // the schema is dropped on a best-effort basis
    }
  }
}

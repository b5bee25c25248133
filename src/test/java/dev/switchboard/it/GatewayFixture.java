package dev.switchboard.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.switchboard.app.GatewayApp;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.store.KeyKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A real gateway on an ephemeral 127.0.0.1 port in front of in-process {@link MockUpstream}s, with
 * a real SQLite file and one inference key. Built from the operators' contract config (see {@link
 * #contractYaml}); tests that need other settings add lines to it or pass their own YAML.
 *
 * <p>The mock requires the provider's API key ({@code ${MOCK_KEY}} from the environment map), so
 * every test also proves the gateway authenticates upstream as configured.
 */
final class GatewayFixture implements AutoCloseable {
  static final String MODEL = "mock/mock-model";
  static final String MOCK_KEY = "sk-mock-upstream-secret";
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  final Path dir;
  final List<MockUpstream> mocks;
  final GatewayApp app;
  final String key;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<OpenAIClient> clients = new ArrayList<>();

  /** What a config template may refer to. */
  record Env(List<MockUpstream> mocks, String storageUrl) {
    String mockUrl(int index) {
      return mocks.get(index).baseUrl();
    }
  }

  private GatewayFixture(Path dir, List<MockUpstream> mocks, GatewayApp app) {
    this.dir = dir;
    this.mocks = List.copyOf(mocks);
    this.app = app;
    this.key = app.keys().create("it-inference", KeyKind.INFERENCE).plaintext();
  }

  /** The contract config, unchanged except for ephemeral ports and the temp database. */
  static GatewayFixture start(Path dir) {
    return start(dir, 1, env -> contractYaml(env, "", ""));
  }

  /**
   * Starts {@code mockCount} mocks and a gateway on the config {@code template} writes.
   *
   * @param template the YAML, given the mocks' URLs and the storage URL
   */
  static GatewayFixture start(Path dir, int mockCount, Function<Env, String> template) {
    List<MockUpstream> mocks = new ArrayList<>();
    try {
      for (int i = 0; i < mockCount; i++) {
        mocks.add(MockUpstream.start(MockOptions.of().withPort(0).withApiKey(MOCK_KEY)));
      }
      Env env = new Env(mocks, "sqlite:" + dir.resolve("switchboard.db"));
      GatewayConfig config = new ConfigLoader(GatewayApp.providerKinds(), Map.of("MOCK_KEY", MOCK_KEY))
          .parse("it.yaml", template.apply(env));
      return new GatewayFixture(dir, mocks, GatewayApp.start(config, Map.of()));
    } catch (RuntimeException e) {
      mocks.forEach(MockUpstream::close);
      throw e;
    }
  }

  /**
   * The contract config shape with {@code port: 0}, the temp database and the first mock.
   *
   * @param serverExtra more {@code server:} entries, e.g. {@code ", max_body_size: 1KiB"}
   * @param providerExtra more entries for the {@code mock} provider, e.g. {@code ", timeouts: {…}"}
   */
  static String contractYaml(Env env, String serverExtra, String providerExtra) {
    return """
        server: { host: 127.0.0.1, port: 0%s }
        storage: { url: %s }
        providers:
          mock: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}%s }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
        """.formatted(serverExtra, env.storageUrl(), env.mockUrl(0), providerExtra);
  }

  MockUpstream mock() {
    return mocks.getFirst();
  }

  int port() {
    return app.port();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  /** An SDK client for {@code prefix} ({@code /api/v1} or {@code /v1}); closed with the fixture. */
  OpenAIClient client(String prefix) {
    return client(prefix, key);
  }

  OpenAIClient client(String prefix, String apiKey) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + port() + prefix)
        .apiKey(apiKey)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
    clients.add(client);
    return client;
  }

  /** POSTs {@code body} to a chat path with this fixture's key. */
  HttpResponse<String> chat(String body) {
    return post("/api/v1/chat/completions", body, key);
  }

  /** {@link #chat} asking for the routing explanation ({@code X-Switchboard-Metadata: enabled}). */
  HttpResponse<String> chatWithMetadata(String body) {
    return send(HttpRequest.newBuilder(uri("/api/v1/chat/completions"))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .header("authorization", "Bearer " + key)
        .header("x-switchboard-metadata", "enabled")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build());
  }

  HttpResponse<String> post(String path, String body, @Nullable String apiKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (apiKey != null) {
      request.header("authorization", "Bearer " + apiKey);
    }
    return send(request.build());
  }

  HttpResponse<String> get(String path, @Nullable String apiKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
    if (apiKey != null) {
      request.header("authorization", "Bearer " + apiKey);
    }
    return send(request.build());
  }

  /** Any method, with an optional JSON body and key. */
  HttpResponse<String> request(String method, String path, @Nullable String body, @Nullable String apiKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (apiKey != null) {
      request.header("authorization", "Bearer " + apiKey);
    }
    return send(request.build());
  }

  /** The management key the gateway generated on its first start (the store had none). */
  String managementKey() {
    var issued = app.bootstrapKey();
    if (issued == null) {
      throw new AssertionError("the gateway generated no management key");
    }
    return issued.plaintext();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A chat request body: {@code model}, one user message, then {@code extra} fields (JSON, no braces). */
  static String body(String userText, String extra) {
    return body(MODEL, userText, extra);
  }

  /** {@link #body(String, String)} for another model. */
  static String body(String model, String userText, String extra) {
    String message = JSON.getNodeFactory().textNode(userText).toString();
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + message + "}"
        + "]" + (extra.isEmpty() ? "" : "," + extra) + "}";
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  /** The JSON payloads of an SSE body's {@code data:} lines, {@code [DONE]} excluded. */
  static List<JsonNode> sseData(String body) {
    List<JsonNode> chunks = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        chunks.add(json(line.substring("data: ".length())));
      }
    }
    return chunks;
  }

  /** One row of {@code generations}, read with plain JDBC from the SQLite file; empty when absent. */
  Map<String, Object> generationRow(String id) {
    List<Map<String, Object>> rows = query("SELECT * FROM generations WHERE id = ?", id);
    return rows.isEmpty() ? Map.of() : rows.getFirst();
  }

  /** Every generation made with the key whose plaintext is {@code apiKey}, oldest first. */
  List<Map<String, Object>> generationsOfKey(String apiKey) {
    return query("SELECT * FROM generations WHERE key_hash = ? ORDER BY created_at", ApiKeys.hash(apiKey));
  }

  /** Rows of any query with one string parameter, read with plain JDBC from the SQLite file. */
  List<Map<String, Object>> rows(String sql, String parameter) {
    return query(sql, parameter);
  }

  private List<Map<String, Object>> query(String sql, String parameter) {
    // A request's answer may go before its commit: read what it was answered with, as the API does.
    app.caughtUp().join();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("switchboard.db"));
        var statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        List<Map<String, Object>> result = new ArrayList<>();
        while (rows.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
            row.put(rows.getMetaData().getColumnName(i), rows.getObject(i));
          }
          result.add(row);
        }
        return result;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A numeric column of a {@link #generationRow} (SQLite hands back Integer or Long by size). */
  static long number(Map<String, Object> row, String column) {
    Object value = row.get(column);
    if (!(value instanceof Number number)) {
      throw new AssertionError("column " + column + " is not a number in " + row);
    }
    return number.longValue();
  }

  /** Polls {@code condition} every 20 ms for up to {@code timeout}; returns whether it held. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() {
    clients.forEach(OpenAIClient::close);
    http.close();
    app.close();
    mocks.forEach(MockUpstream::close);
  }
}

package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.app.GatewayApp;
import dev.switchboard.byok.MasterKey;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.keys.NewKey;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.TestStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BYOK end to end: an account's own provider key, stored encrypted through the management API, is
 * what the upstream sees for that account's requests (tried before the operator's key, which
 * remains the fallback), while another account's requests carry the operator's key; the key is
 * never returned by an API nor written to any log line, at any level.
 *
 * <p>Provider {@code alpha}'s mock accepts only the account's own key; {@code beta}'s only the
 * operator's, so a request succeeds exactly when the expected key was used.
 */
class ByokTest {
  private static final String OWN_KEY = "sk-own-ACCOUNT-KEY-for-alpha-7f3e";
  private static final String WRONG_KEY = "sk-mistyped-account-key-for-beta-0000";
  private static final String SHARED_KEY = "sk-operator-SHARED-key-c0ffee";
  private static final BigDecimal FULL_COST = new BigDecimal("0.000026"); // the mock's usage at these prices

  @TempDir static Path dir;
  static MockUpstream alpha;
  static MockUpstream beta;
  static GatewayApp app;
  static String admin;
  static String teamA;
  static String teamB;
  static final CapturedLog log = new CapturedLog();
  static final HttpClient http = HttpClient.newHttpClient();

  /** Every log record of the whole JVM, at every level, formatted as it would be printed. */
  static final class CapturedLog extends Handler {
    private final StringBuffer text = new StringBuffer();
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      text.append(formatter.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    String text() {
      return text.toString();
    }
  }

  // Held strongly: java.util.logging keeps loggers weakly, and would forget the level set here.
  static final Logger GATEWAY = Logger.getLogger("dev.switchboard");
  static final Logger ACCESS = Logger.getLogger("switchboard");

  @BeforeAll
  static void start() {
    // Every level of the gateway's own loggers (the access log included) reaches the capture.
    GATEWAY.setLevel(Level.ALL);
    ACCESS.setLevel(Level.ALL);
    log.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(log);
    alpha = MockUpstream.start(MockOptions.of().withPort(0).withApiKey(OWN_KEY));
    beta = MockUpstream.start(MockOptions.of().withPort(0).withApiKey(SHARED_KEY));
    Path db = dir.resolve("switchboard.db");
    app = start(db, Map.of(MasterKey.ENV, masterKey()));
    admin = app.bootstrapKey().plaintext();
    try (Database database = Database.open(TestStores.sqlite(db))) {
      database.ledger().createAccount("team-b", "Team B", Instant.now());
    }
    teamA = app.keys().create("team-a", KeyKind.INFERENCE).plaintext();
    teamB = app.keys().create(new NewKey("team-b", KeyKind.INFERENCE, null, null, null, false, "team-b")).plaintext();
  }

  static GatewayApp start(Path db, Map<String, String> env) {
    GatewayConfig config = new ConfigLoader(GatewayApp.providerKinds(), Map.of("SHARED", SHARED_KEY)).parse("byok.yaml", """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: sqlite:%s }
        routing: { health: { breaker_failures: 0, max_retry_after: 0s } }
        accounting: { byok_fee: "0.05" }
        providers:
          alpha: { kind: openai-compatible, base_url: %s, api_key: ${SHARED} }
          beta: { kind: openai-compatible, base_url: %s, api_key: ${SHARED} }
        models:
          - id: mock/alpha-model
            context_length: 32768
            endpoints:
              - { provider: alpha, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
          - id: mock/beta-model
            context_length: 32768
            endpoints:
              - { provider: beta, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
        """.formatted(db, alpha.baseUrl(), beta.baseUrl()));
    return GatewayApp.start(config, env);
  }

  static String masterKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  @AfterAll
  static void stop() {
    try {
      if (app != null) {
        app.close();
      }
      alpha.close();
      beta.close();
    } finally {
      Logger.getLogger("").removeHandler(log);
      GATEWAY.setLevel(null);
      ACCESS.setLevel(null);
    }
    // Checked last, over everything every test logged (including DEBUG and the access log).
    assertThat(log.text()).as("the captured log").isNotEmpty().doesNotContain(OWN_KEY).doesNotContain(WRONG_KEY)
        .doesNotContain(SHARED_KEY);
  }

  @Test
  void anAccountsOwnKeyIsUsedForItsRequestsAndAnotherAccountUsesTheSharedKey() {
    HttpResponse<String> stored = request(app, "PUT", "/api/v1/byok/alpha", "{\"api_key\":\"" + OWN_KEY + "\"}", admin);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(stored.body()).doesNotContain(OWN_KEY).contains("\"label\":\"...7f3e\"").contains("\"provider\":\"alpha\"");

    HttpResponse<String> own = chat("mock/alpha-model", teamA);
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    assertThat(alpha.stats().lastHeaders().get("authorization")).isEqualTo("Bearer " + OWN_KEY);
    JsonNode generation = generation(own);
    assertThat(generation.path("is_byok").asBoolean()).isTrue();
    assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo(FULL_COST.multiply(new BigDecimal("0.05")));
    assertThat(json(own.body()).path("usage").path("cost").decimalValue())
        .isEqualByComparingTo(FULL_COST.multiply(new BigDecimal("0.05")));

    // The other account has no key of its own: the operator's goes upstream, and alpha refuses it.
    HttpResponse<String> other = chat("mock/alpha-model", teamB);
    assertThat(other.statusCode()).as(other.body()).isNotEqualTo(200);
    assertThat(alpha.stats().lastHeaders().get("authorization")).isEqualTo("Bearer " + SHARED_KEY);
  }

  @Test
  void aRejectedOwnKeyFallsBackToTheSharedKeyBilledInFull() {
    HttpResponse<String> stored = request(app, "PUT", "/api/v1/byok/beta", "{\"api_key\":\"" + WRONG_KEY + "\"}", admin);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);

    HttpResponse<String> response = chat("mock/beta-model", teamA);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode generation = generation(response);
    assertThat(generation.path("is_byok").asBoolean()).isFalse();
    assertThat(generation.path("num_attempts").asInt()).isEqualTo(2);
    assertThat(generation.path("total_cost").decimalValue()).isEqualByComparingTo(FULL_COST);
    assertThat(beta.stats().lastHeaders().get("authorization")).isEqualTo("Bearer " + SHARED_KEY);
  }

  @Test
  void theApiListsProvidersWithoutKeysDeletesThemAndIsForManagementKeysOnly() {
    request(app, "PUT", "/api/v1/byok/alpha", "{\"api_key\":\"" + OWN_KEY + "\",\"account\":\"team-b\"}", admin);

    HttpResponse<String> listed = request(app, "GET", "/api/v1/byok?account=team-b", null, admin);
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    assertThat(listed.body()).doesNotContain(OWN_KEY).contains("\"provider\":\"alpha\"").contains("\"account\":\"team-b\"")
        .contains("\"key_id\":\"mk-");
    assertThat(request(app, "GET", "/api/v1/byok", null, teamA).statusCode()).isEqualTo(403);
    assertThat(request(app, "PUT", "/api/v1/byok/alpha", "{\"api_key\":\"x-1234567890\"}", teamA).statusCode()).isEqualTo(403);
    assertThat(request(app, "PUT", "/api/v1/byok/nosuch", "{\"api_key\":\"x-1234567890\"}", admin).statusCode()).isEqualTo(404);
    assertThat(request(app, "PUT", "/api/v1/byok/alpha", "{\"api_key\":\"x\",\"account\":\"nobody\"}", admin).statusCode())
        .isEqualTo(404);
    assertThat(request(app, "PUT", "/api/v1/byok/alpha", "{\"key\":\"x\"}", admin).statusCode()).isEqualTo(400);

    assertThat(request(app, "DELETE", "/api/v1/byok/alpha?account=team-b", null, admin).body()).contains("\"deleted\":true");
    assertThat(request(app, "DELETE", "/api/v1/byok/alpha?account=team-b", null, admin).statusCode()).isEqualTo(404);
    assertThat(request(app, "GET", "/api/v1/byok?account=team-b", null, admin).body()).isEqualTo("{\"data\":[]}");
  }

  @Test
  void theDatabaseHoldsOnlyCiphertext() {
    request(app, "PUT", "/api/v1/byok/alpha", "{\"api_key\":\"" + OWN_KEY + "\"}", admin);
    try (Database database = Database.open(TestStores.sqlite(dir.resolve("switchboard.db")))) {
      assertThat(TestStores.scalar(database, "SELECT count(*) FROM provider_credentials WHERE account_id = 'default'"
          + " AND provider = 'alpha' AND instr(ciphertext, CAST('ACCOUNT-KEY' AS BLOB)) = 0 AND length(nonce) = 12"))
          .isEqualTo(1);
    }
  }

  @Test
  void withoutAMasterKeyTheByokRoutesRefuseSayingHowToConfigureOne(@TempDir Path other) {
    try (GatewayApp plain = start(other.resolve("plain.db"), Map.of())) {
      String management = plain.bootstrapKey().plaintext();
      HttpResponse<String> refused = request(plain, "PUT", "/api/v1/byok/alpha", "{\"api_key\":\"" + OWN_KEY + "\"}",
          management);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(json(refused.body()).path("error").path("message").asText())
          .contains("BYOK is disabled").contains(MasterKey.ENV).contains("secrets.master_key_file");
    }
  }

  private static HttpResponse<String> chat(String model, String key) {
    return request(app, "POST", "/api/v1/chat/completions",
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + ChatCompletionsTest.PROMPT + "\"}]}",
        key);
  }

  private static JsonNode generation(HttpResponse<String> response) {
    String id = json(response.body()).path("id").asText();
    HttpResponse<String> found = request(app, "GET", "/api/v1/generation?id=" + id, null, admin);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    return json(found.body()).path("data");
  }

  private static HttpResponse<String> request(GatewayApp gateway, String method, String path, @Nullable String body,
      String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .timeout(Duration.ofSeconds(20))
        .header("authorization", "Bearer " + key)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
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
}

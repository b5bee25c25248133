package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits over HTTP: a key's own {@code rate_limit} through the key API, the config's
 * per-model limits, 429 in the OpenAI error shape with {@code Retry-After} and {@code
 * X-RateLimit-*}, the same headers on admitted requests, embeddings counted with chat, and a
 * refusal that takes nothing from the other buckets.
 *
 * <p>Buckets refill continuously (a limit of N per minute gains one request every 60/N s); each
 * test uses a fresh key and a limit of a few per minute, so a refill during a test would need the
 * machine to stall for many seconds, and the assertions allow for exactly that many refills.
 */
class RateLimitsTest {
  private static final String EMBED = "mock/mock-embed";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static String admin;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 1, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          mock: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
        limits:
          models:
            mock/tight-model: { key: { requests_per_minute: 2 } }
        models:
          - id: mock/mock-model
            context_length: 32768
            endpoints:
              - provider: mock
                model: mock-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
          - id: mock/tight-model
            context_length: 32768
            endpoints:
              - provider: mock
                model: tight-model
                pricing: { prompt: "0.000001", completion: "0.000002" }
          - id: mock/mock-embed
            context_length: 8192
            output_modalities: [embeddings]
            endpoints:
              - provider: mock
                model: mock-embed
                pricing: { prompt: "0.0000001", completion: "0" }
        """.formatted(env.storageUrl(), env.mockUrl(0)));
    admin = gateway.managementKey();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** Creates a key through the API with {@code rateLimit} (JSON or "null"); returns [plaintext, hash]. */
  private static String[] createKey(String rateLimit) {
    HttpResponse<String> created = gateway.post("/api/v1/keys",
        "{\"name\":\"limited\",\"rate_limit\":" + rateLimit + "}", admin);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode body = json(created.body());
    return new String[] {body.path("key").asText(), body.path("data").path("hash").asText()};
  }

  private static long elapsedRefills(long startNanos, long perMinute) {
    return (System.nanoTime() - startNanos) * perMinute / 60_000_000_000L;
  }

  @Test
  void aKeysRateLimitIsSetShownChangedAndClearedThroughTheKeyApi() {
    String[] key = createKey("{\"requests_per_minute\":30,\"tokens_per_minute\":50000}");
    HttpResponse<String> fetched = gateway.get("/api/v1/keys/" + key[1], admin);
    assertThat(json(fetched.body()).path("data").path("rate_limit").path("requests_per_minute").asLong())
        .isEqualTo(30);
    HttpResponse<String> own = gateway.get("/api/v1/key", key[0]);
    assertThat(json(own.body()).path("data").path("rate_limit").path("tokens_per_minute").asLong()).isEqualTo(50000);

    HttpResponse<String> patched = gateway.request("PATCH", "/api/v1/keys/" + key[1],
        "{\"rate_limit\":{\"requests_per_minute\":5}}", admin);
    assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
    JsonNode rate = json(patched.body()).path("data").path("rate_limit");
    assertThat(rate.path("requests_per_minute").asLong()).isEqualTo(5);
    assertThat(rate.has("tokens_per_minute")).isFalse();

    HttpResponse<String> listed = gateway.get("/api/v1/keys", admin);
    boolean shown = false;
    for (JsonNode row : json(listed.body()).path("data")) {
      if (row.path("hash").asText().equals(key[1])) {
        shown = row.path("rate_limit").path("requests_per_minute").asLong() == 5;
      }
    }
    assertThat(shown).as(listed.body()).isTrue();

    HttpResponse<String> cleared = gateway.request("PATCH", "/api/v1/keys/" + key[1], "{\"rate_limit\":null}", admin);
    assertThat(json(cleared.body()).path("data").path("rate_limit").isNull()).as(cleared.body()).isTrue();
  }

  @Test
  void aMalformedRateLimitIsRefusedWithA400NamingIt() {
    HttpResponse<String> zero = gateway.post("/api/v1/keys",
        "{\"name\":\"x\",\"rate_limit\":{\"requests_per_minute\":0}}", admin);
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(json(zero.body()).path("error").path("param").asText()).isEqualTo("rate_limit");
    HttpResponse<String> unknown = gateway.post("/api/v1/keys",
        "{\"name\":\"x\",\"rate_limit\":{\"rpm\":3}}", admin);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("rpm");
    HttpResponse<String> tooHigh = gateway.post("/api/v1/keys",
        "{\"name\":\"x\",\"rate_limit\":{\"tokens_per_minute\":100000000000}}", admin);
    assertThat(tooHigh.statusCode()).isEqualTo(400);
    assertThat(json(tooHigh.body()).path("error").path("message").asText())
        .contains("rate_limit.tokens_per_minute").contains("60000000000");
  }

  @Test
  void aPracticallyUnlimitedKeyIsServed() {
    // The highest figures a bucket can refill at (one per nanosecond); above them Bucket4j refuses
    // to build the bucket, which once failed every request of such a key with a 500.
    String[] key = createKey("{\"requests_per_minute\":60000000000,\"tokens_per_minute\":60000000000}");
    HttpResponse<String> response = gateway.post("/api/v1/chat/completions", body("hi", ""), key[0]);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-ratelimit-limit")).hasValue("60000000000");
  }

  @Test
  void aKeyGetsItsRequestsPerMinuteThenA429WithRetryAfterAndRateLimitHeaders() {
    String[] key = createKey("{\"requests_per_minute\":3}");
    long start = System.nanoTime();
    int ok = 0;
    HttpResponse<String> refused = null;
    for (int i = 0; i < 6 && refused == null; i++) {
      HttpResponse<String> response = gateway.post("/api/v1/chat/completions", body("hi", ""), key[0]);
      if (response.statusCode() == 200) {
        ok++;
        assertThat(response.headers().firstValue("x-ratelimit-limit")).hasValue("3");
        assertThat(response.headers().firstValue("x-ratelimit-reset")).isPresent();
      } else {
        refused = response;
      }
    }
    assertThat(ok).isBetween(3, 3 + (int) elapsedRefills(start, 3));
    assertThat(refused).isNotNull();
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode error = json(refused.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(error.path("code").asInt()).isEqualTo(429);
    assertThat(error.path("message").asText()).contains("3 requests per minute");
    long retryAfter = Long.parseLong(refused.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 20L);
    assertThat(refused.headers().firstValue("x-ratelimit-limit")).hasValue("3");
    assertThat(refused.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
    long reset = Long.parseLong(refused.headers().firstValue("x-ratelimit-reset").orElseThrow());
    assertThat(reset).isGreaterThan(System.currentTimeMillis());
  }

  @Test
  void theRemainingHeaderCountsDownAndStreamsAreLimitedToo() {
    String[] key = createKey("{\"requests_per_minute\":10}");
    HttpResponse<String> first = gateway.post("/api/v1/chat/completions", body("hi", ""), key[0]);
    HttpResponse<String> second = gateway.post("/api/v1/chat/completions", body("hi", "\"stream\":true"), key[0]);
    assertThat(second.statusCode()).isEqualTo(200);
    long a = Long.parseLong(first.headers().firstValue("x-ratelimit-remaining").orElseThrow());
    long b = Long.parseLong(second.headers().firstValue("x-ratelimit-remaining").orElseThrow());
    assertThat(a).isEqualTo(9);
    assertThat(b).isLessThan(a);
  }

  @Test
  void aKeyWithoutAnyLimitGetsNoRateLimitHeaders() {
    HttpResponse<String> response = gateway.chat(body("hi", ""));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-ratelimit-limit")).isEmpty();
  }

  @Test
  void embeddingsCountAgainstTheSameLimitAsChat() {
    String[] key = createKey("{\"requests_per_minute\":2}");
    long start = System.nanoTime();
    assertThat(gateway.post("/api/v1/chat/completions", body("hi", ""), key[0]).statusCode()).isEqualTo(200);
    HttpResponse<String> embedded = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"hello\"}", key[0]);
    assertThat(embedded.statusCode()).as(embedded.body()).isEqualTo(200);
    assertThat(embedded.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
    HttpResponse<String> third = gateway.post("/api/v1/embeddings",
        "{\"model\":\"" + EMBED + "\",\"input\":\"hello\"}", key[0]);
    if (elapsedRefills(start, 2) == 0) {
      assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
    }
  }

  @Test
  void aPerModelLimitAppliesToThatModelOnly() {
    String[] key = createKey("null");
    long start = System.nanoTime();
    String tight = "{\"model\":\"mock/tight-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    int ok = 0;
    for (int i = 0; i < 4; i++) {
      if (gateway.post("/api/v1/chat/completions", tight, key[0]).statusCode() == 200) {
        ok++;
      }
    }
    assertThat(ok).isBetween(2, 2 + (int) elapsedRefills(start, 2));
    // Another model is not limited at all.
    HttpResponse<String> other = gateway.post("/api/v1/chat/completions", body("hi", ""), key[0]);
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("x-ratelimit-limit")).isEmpty();
  }

  @Test
  void aPromptLargerThanTheWholeTokenLimitIsRefusedWithoutRetryAfter() {
    String[] key = createKey("{\"tokens_per_minute\":20}");
    HttpResponse<String> refused = gateway.post("/api/v1/chat/completions",
        body("word ".repeat(100), ""), key[0]);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("retry-after")).isEmpty();
    assertThat(json(refused.body()).path("error").path("message").asText()).contains("can never be admitted");
    HttpResponse<String> small = gateway.post("/api/v1/chat/completions", body("hi", ""), key[0]);
    assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
    assertThat(small.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("20");
  }
}

package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.mock.MockUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faulty upstreams against the attempt loop and endpoint health: each request either succeeds on
 * another endpoint or ends with a typed error, promptly; a failing endpoint's circuit opens and
 * recovers; a {@code Retry-After} keeps traffic away; the deadline bounds the loop but not a stream.
 *
 * <p>Each mock plays one provider, so its request count tells whether the gateway called it:
 * {@code good} (healthy, dearest everywhere), {@code limited} (always 429 with {@code Retry-After: 1}),
 * {@code slow} (answers after 3 s; its first-byte timeout is 300 ms), {@code solo} (alone behind
 * {@code mock/solo-model}; fails when the prompt says so), {@code broken} (always 500), {@code
 * glacial} (answers after 10 s; first-byte timeout 30 s, longer than the 2 s routing deadline).
 */
class HealthTest {
  private static final int GOOD = 0;
  private static final int LIMITED = 1;
  private static final int SLOW = 2;
  private static final int SOLO = 3;
  private static final int BROKEN = 4;
  private static final int GLACIAL = 5;

  @TempDir static Path dir;
  static GatewayFixture gateway;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 6, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        routing:
          max_attempts: 2
          deadline: 2s
          health: { breaker_failures: 3, breaker_cooldown: 1s }
        providers:
          good: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          limited: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=429" } }
          slow: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "delay=3000" },
                  timeouts: { first_byte: 300ms } }
          solo: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          broken: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=500" } }
          broken2: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "status=500" } }
          glacial: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "delay=10000" },
                     timeouts: { first_byte: 30s } }
        models:
        %s
        """.formatted(env.storageUrl(), env.mockUrl(GOOD), env.mockUrl(LIMITED), env.mockUrl(SLOW),
        env.mockUrl(SOLO), env.mockUrl(BROKEN), env.mockUrl(BROKEN), env.mockUrl(GLACIAL),
        model("mock/limited-model", "limited") + model("mock/slow-model", "slow")
            + model("mock/broken-model", "broken") + model("mock/many-model", "broken", "broken2")
            + model("mock/glacial-model", "glacial") + model("mock/mock-model")
            + """
              - id: mock/solo-model
                name: Solo
                context_length: 32768
                endpoints:
                  - { provider: solo, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
            """));
  }

  /** A model served by {@code cheap} providers (cheapest first, in order) and then by {@code good}. */
  private static String model(String id, String... cheap) {
    StringBuilder yaml = new StringBuilder("""
          - id: %s
            name: %s
            context_length: 32768
            endpoints:
              - { provider: good, model: mock-model, pricing: { prompt: "0.00001", completion: "0.00002" } }
        """.formatted(id, id));
    for (int i = 0; i < cheap.length; i++) {
      yaml.append("      - { provider: %s, model: mock-model, pricing: { prompt: \"0.00000%d\", completion: \"0\" } }\n"
          .formatted(cheap[i], i + 1));
    }
    return yaml.toString();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  private static MockUpstream mock(int index) {
    return gateway.mocks.get(index);
  }

  private static HttpResponse<String> chat(String model, String prompt, String extra) {
    String message = GatewayFixture.JSON.getNodeFactory().textNode(prompt).toString();
    return gateway.chat("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + message + "}],"
        + "\"provider\":{\"sort\":\"price\"}" + (extra.isEmpty() ? "" : "," + extra) + "}");
  }

  @Test
  void serverErrorFallsBackToTheNextEndpoint() {
    long good = mock(GOOD).stats().requests();

    HttpResponse<String> response = chat("mock/broken-model", "Hello", "");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response.body()).path("provider").asText()).isEqualTo("good");
    assertThat(mock(GOOD).stats().requests()).isEqualTo(good + 1);
  }

  @Test
  void rateLimitWithRetryAfterKeepsTrafficAwayUntilThen() {
    long limited = mock(LIMITED).stats().requests();

    HttpResponse<String> first = chat("mock/limited-model", "Hello", "");
    HttpResponse<String> second = chat("mock/limited-model", "Hello", "");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first.body()).path("provider").asText()).isEqualTo("good");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    assertThat(mock(LIMITED).stats().requests()).as("429 once, then left alone for its Retry-After")
        .isEqualTo(limited + 1);
    // After the second it asked for, limited is tried again (and says 429 again).
    assertThat(GatewayFixture.eventually(Duration.ofSeconds(10), () -> {
      chat("mock/limited-model", "Hello", "");
      return mock(LIMITED).stats().requests() > limited + 1;
    })).isTrue();
  }

  @Test
  void noFirstByteBeforeTheTimeoutFallsBack() {
    HttpResponse<String> response = chat("mock/slow-model", "Hello", "");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(json(response.body()).path("provider").asText()).isEqualTo("good");
    assertThat(GatewayFixture.number(gateway.generationRow(json(response.body()).path("id").asText()), "attempts"))
        .isEqualTo(2);
  }

  @Test
  void maxAttemptsEndsTheLoopWithTheLastError() {
    long good = mock(GOOD).stats().requests();

    HttpResponse<String> response = chat("mock/many-model", "Hello", "");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("metadata").path("attempts").asInt()).isEqualTo(2);
    assertThat(error.path("message").asText()).contains("after 2 attempts");
    assertThat(mock(GOOD).stats().requests()).as("the third endpoint is never tried").isEqualTo(good);
  }

  @Test
  void deadlineEndsTheLoopWithATypedTimeout() {
    long good = mock(GOOD).stats().requests();

    HttpResponse<String> response = chat("mock/glacial-model", "Hello", "");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(408);
    assertThat(json(response.body()).path("error").path("message").asText()).contains("routing deadline (2 s)");
    assertThat(mock(GOOD).stats().requests()).as("no time was left for the next endpoint").isEqualTo(good);
  }

  @Test
  void deadlineNeverCutsAStreamThatStarted() {
    // Eight chunks 400 ms apart: the stream outlasts the 2 s deadline.
    HttpResponse<String> response = chat("mock/mock-model", "Tell me slowly #mock:chunk-delay=400 #mock:chunks=8",
        "\"stream\":true");

    assertThat(response.statusCode()).isEqualTo(200);
    var chunks = sseData(response.body());
    assertThat(chunks).noneMatch(c -> c.has("error"));
    assertThat(StreamingTest.content(chunks)).isEqualTo("Mock answer to: Tell me slowly #mock:chunk-delay=400 #mock:chunks=8");
    assertThat(response.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void circuitOpensAfterRepeatedFailuresAndRecovers() {
    MockUpstream solo = mock(SOLO);
    for (int i = 0; i < 3; i++) {
      assertThat(chat("mock/solo-model", "Break #mock:status=500", "").statusCode()).isEqualTo(502);
    }
    long calls = solo.stats().requests();

    HttpResponse<String> open = chat("mock/solo-model", "Hello", "");

    assertThat(open.statusCode()).as(open.body()).isEqualTo(503);
    assertThat(open.headers().firstValue("retry-after")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
    JsonNode error = json(open.body()).path("error");
    assertThat(error.path("message").asText()).contains("mock/solo-model via solo: circuit open after 3 failures");
    assertThat(error.path("metadata").path("availability").path("code").asText()).isEqualTo("temporarily_unavailable");
    assertThat(solo.stats().requests()).as("an open circuit sends nothing upstream").isEqualTo(calls);

    // After the 1 s cool-down one request probes; it succeeds and closes the circuit.
    AtomicReference<HttpResponse<String>> recovered = new AtomicReference<>();
    assertThat(GatewayFixture.eventually(Duration.ofSeconds(10), () -> {
      recovered.set(chat("mock/solo-model", "Hello", ""));
      return recovered.get().statusCode() == 200;
    })).as("the circuit recovers").isTrue();
    assertThat(chat("mock/solo-model", "Hello", "").statusCode()).isEqualTo(200);
    assertThat(solo.stats().requests()).isEqualTo(calls + 2);
  }
}

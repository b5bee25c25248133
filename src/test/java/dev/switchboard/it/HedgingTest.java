package dev.switchboard.it;

import static dev.switchboard.it.GatewayFixture.body;
import static dev.switchboard.it.GatewayFixture.eventually;
import static dev.switchboard.it.GatewayFixture.json;
import static dev.switchboard.it.GatewayFixture.sseData;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.mock.MockUpstream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hedged requests end to end. {@code slow} (its own mock, whose configured header delays the first
 * byte by 5 s) is tried first; {@code fast} (another mock) answers at once. Hedging is off in the
 * config and switched on per request, with a 100 ms delay.
 */
class HedgingTest {
  static final String HEDGED = "\"provider\":{\"order\":[\"slow\",\"fast\"],\"hedge\":true}";

  @TempDir static Path dir;
  static GatewayFixture gateway;
  static MockUpstream fast;
  static MockUpstream slow;

  @BeforeAll
  static void start() {
    gateway = GatewayFixture.start(dir, 2, env -> """
        server: { host: 127.0.0.1, port: 0 }
        storage: { url: %s }
        providers:
          fast: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY} }
          slow: { kind: openai-compatible, base_url: %s, api_key: ${MOCK_KEY}, headers: { x-mock-fault: "delay=5000" } }
        models:
          - id: mock/mock-model
            name: Mock Model
            context_length: 32768
            endpoints:
              - { provider: fast, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
              - { provider: slow, model: mock-model, pricing: { prompt: "0.000001", completion: "0.000002" } }
        routing:
          health: { breaker_failures: 0, max_retry_after: 0s }
          hedging: { enabled: false, delay: 100ms }
        """.formatted(env.storageUrl(), env.mockUrl(0), env.mockUrl(1)));
    fast = gateway.mocks.get(0);
    slow = gateway.mocks.get(1);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  @BeforeEach
  void resetMocks() {
    fast.resetStats();
    slow.resetStats();
  }

  @Test
  void aSlowFirstByteIsHedgedAndTheFasterEndpointServes() {
    int before = gateway.generationsOfKey(gateway.key).size();
    HttpResponse<String> response = gateway.chatWithMetadata(body(ChatCompletionsTest.PROMPT, HEDGED));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode root = json(response.body());
    assertThat(root.path("provider").asText()).isEqualTo("fast");
    assertThat(root.path("choices").path(0).path("message").path("content").asText())
        .isEqualTo(ChatCompletionsTest.ANSWER);
    JsonNode attempts = root.path("switchboard_metadata").path("attempts");
    assertThat(attempts).extracting(a -> a.path("provider").asText() + ":" + a.path("outcome").asText())
        .containsExactly("slow:hedge_lost", "fast:success");
    // The loser's request was closed while it waited: the slow mock saw its client go.
    assertThat(eventually(Duration.ofSeconds(3), () -> slow.stats().requestsAbandoned() == 1)).isTrue();
    assertThat(slow.stats().requests()).isEqualTo(1);
    assertThat(fast.stats().requests()).isEqualTo(1);
    // One generation, billed at the winner only.
    List<Map<String, Object>> rows = gateway.generationsOfKey(gateway.key);
    assertThat(rows).hasSize(before + 1);
    Map<String, Object> row = gateway.generationRow(root.path("id").asText());
    assertThat(row).containsEntry("provider", "fast").containsEntry("status", "success");
    assertThat(root.path("usage").path("cost").decimalValue()).isEqualByComparingTo(ChatCompletionsTest.COST);
    assertThat(gateway.get("/metrics", null).body()).containsPattern(
        "switchboard_hedges_lost_total\\{model=\"mock/mock-model\",provider=\"slow\"} [1-9]");
  }

  @Test
  void aStreamIsHedgedToo() {
    HttpResponse<String> response = gateway.chat(body(ChatCompletionsTest.PROMPT, StreamingTest.STREAM + "," + HEDGED));

    assertThat(response.statusCode()).isEqualTo(200);
    List<JsonNode> chunks = sseData(response.body());
    assertThat(chunks.getFirst().path("provider").asText()).isEqualTo("fast");
    assertThat(StreamingTest.content(chunks)).isEqualTo(ChatCompletionsTest.ANSWER);
    assertThat(eventually(Duration.ofSeconds(3), () -> slow.stats().requestsAbandoned() == 1)).isTrue();
    assertThat(slow.stats().streamsStarted()).as("the loser never started answering").isZero();
  }
}

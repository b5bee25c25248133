package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat answers carry {@code Server-Timing}: the gateway's stages in order, the upstream's time
 * apart from them, and {@code gateway} (all but the upstream's); {@code server.timing_header: false}
 * turns it off.
 */
class ServerTimingTest {
  private static final List<String> FRONT = List.of("receive", "auth", "decode", "plan", "limits", "admit", "journal");
  /** The mock's wait before answering: what the header must put on the upstream, not on the gateway. */
  private static final int UPSTREAM_DELAY_MS = 300;

  /** Parses {@code a;dur=1.5, b;dur=2} into name → milliseconds, in header order. */
  static Map<String, Double> metrics(HttpResponse<String> response) {
    String header = response.headers().firstValue("server-timing").orElseThrow(
        () -> new AssertionError("no Server-Timing header; headers: " + response.headers().map()));
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (String entry : header.split(", ")) {
      String[] parts = entry.split(";dur=");
      assertThat(parts).as(entry).hasSize(2);
      assertThat(parts[1]).as(entry).matches("\\d+\\.\\d{3}");
      metrics.put(parts[0], Double.parseDouble(parts[1]));
    }
    return metrics;
  }

  private static List<String> concat(List<String> first, String... rest) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(List.of(rest));
    return all;
  }

  /** The gateway's share is every stage but the upstream's, and at least their sum (rounding aside). */
  private static void assertUpstreamApart(Map<String, Double> metrics) {
    assertThat(metrics.get("upstream")).isGreaterThanOrEqualTo((double) UPSTREAM_DELAY_MS);
    double ownStages = metrics.entrySet().stream()
        .filter(e -> !e.getKey().equals("upstream") && !e.getKey().equals("gateway"))
        .mapToDouble(Map.Entry::getValue).sum();
    assertThat(metrics.get("gateway")).isGreaterThanOrEqualTo(ownStages - 0.001 * metrics.size());
    // Attribution, not speed: counted with the upstream's wait, the gateway's part would be at least the delay.
    assertThat(metrics.get("gateway")).isLessThan((double) UPSTREAM_DELAY_MS);
  }

  /** A gateway on the contract config plus {@link #serverExtra} in its {@code server:} section. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class WithGateway {
    GatewayFixture gateway;

    abstract String serverExtra();

    @BeforeAll
    void start(@TempDir Path dir) {
      gateway = GatewayFixture.start(dir, 1, env -> GatewayFixture.contractYaml(env, serverExtra(), ""));
    }

    @AfterAll
    void stop() {
      gateway.close();
    }
  }

  @Nested
  class On extends WithGateway {
    @Override
    String serverExtra() {
      return "";
    }

    @Test
    void aJsonAnswerTimesEveryStageAndKeepsTheUpstreamsTimeApart() {
      var response = gateway.chat(GatewayFixture.body("hello #mock:delay=" + UPSTREAM_DELAY_MS, ""));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      Map<String, Double> metrics = metrics(response);
      assertThat(metrics.keySet()).containsExactlyElementsOf(concat(FRONT, "upstream", "settle", "gateway"));
      assertUpstreamApart(metrics);
    }

    @Test
    void aStreamsHeadTimesTheStagesUpToTheUpstreamsFirstBytes() {
      var response = gateway.chat(GatewayFixture.body("hello #mock:delay=" + UPSTREAM_DELAY_MS, StreamingTest.STREAM));

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("data: [DONE]");
      Map<String, Double> metrics = metrics(response);
      // The head goes out before the stream is settled: no settle stage.
      assertThat(metrics.keySet()).containsExactlyElementsOf(concat(FRONT, "upstream", "gateway"));
      assertUpstreamApart(metrics);
    }

    @Test
    void theAnthropicDialectIsTimedToo() {
      var response = gateway.post("/v1/messages", """
          {"model": "%s", "max_tokens": 64, "messages": [{"role": "user", "content": "hello"}]}
          """.formatted(GatewayFixture.MODEL), gateway.key);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(metrics(response).keySet()).containsExactlyElementsOf(concat(FRONT, "upstream", "settle", "gateway"));
    }

    @Test
    void aRefusedKeyIsTimedUpToWhereItWasRefused() {
      var response = gateway.post("/api/v1/chat/completions", GatewayFixture.body("hello", ""), "sk-sb-not-a-key");

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(metrics(response).keySet()).containsExactly("receive", "gateway");
    }

    @Test
    void anUpstreamFailureIsTimedWithTheUpstreamsPart() {
      var response = gateway.chat(GatewayFixture.body("hello #mock:status=400", ""));

      assertThat(response.statusCode()).isEqualTo(400);
      // The failure is settled (recorded) before it is answered.
      assertThat(metrics(response).keySet()).containsExactlyElementsOf(concat(FRONT, "upstream", "settle", "gateway"));
    }

    @Test
    void routesOutsideTheChatFlowCarryNone() {
      var response = gateway.get("/api/v1/models", null);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("server-timing")).isEmpty();
    }
  }

  @Nested
  class Off extends WithGateway {
    @Override
    String serverExtra() {
      return ", timing_header: false";
    }

    @Test
    void noHeaderOnAnyAnswer() {
      var json = gateway.chat(GatewayFixture.body("hello", ""));
      var stream = gateway.chat(GatewayFixture.body("hello", StreamingTest.STREAM));
      var refused = gateway.post("/api/v1/chat/completions", GatewayFixture.body("hello", ""), "sk-sb-not-a-key");

      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(refused.statusCode()).isEqualTo(401);
      for (var response : List.of(json, stream, refused)) {
        assertThat(response.headers().firstValue("server-timing")).isEmpty();
      }
    }
  }
}

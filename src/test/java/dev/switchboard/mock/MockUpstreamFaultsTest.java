package dev.switchboard.mock;

import static dev.switchboard.mock.MockHttp.json;
import static dev.switchboard.mock.MockHttp.request;
import static dev.switchboard.mock.MockHttp.sseData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Faults on demand, auth and the stats endpoint, over real HTTP. */
class MockUpstreamFaultsTest {
  static final String STREAM = "\"stream\":true,\"stream_options\":{\"include_usage\":true}";

  MockUpstream mock;
  MockHttp http;

  @BeforeEach
  void start() {
    mock = MockUpstream.start(MockOptions.of());
    http = new MockHttp(mock);
  }

  @AfterEach
  void stop() {
    http.close();
    mock.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 429, 500, 503, 529})
  void statusDirectiveAnswersWithOpenAiErrorShape(int status) {
    HttpResponse<String> response = http.chat(request("Hello #mock:status=" + status, ""));

    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("message").asText()).isNotEmpty();
    assertThat(error.path("type").asText()).isNotEmpty();
    assertThat(error.has("code")).isTrue();
    assertThat(response.headers().firstValue("retry-after").isPresent()).isEqualTo(status == 429);
  }

  @Test
  void headerDirectiveWinsOverTheMessage() {
    HttpResponse<String> fromHeader =
        http.chat(request("Hello #mock:status=500", ""), "x-mock-fault", "status=429");
    HttpResponse<String> cleared =
        http.chat(request("Hello #mock:status=500", ""), "x-mock-fault", "none");

    assertThat(fromHeader.statusCode()).isEqualTo(429);
    assertThat(cleared.statusCode()).isEqualTo(200);
  }

  @Test
  void delayHoldsTheFirstByteBack() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(http.uri("/v1/chat/completions"))
            .timeout(Duration.ofMillis(300))
            .POST(HttpRequest.BodyPublishers.ofString(request("Slow #mock:delay=60000", "")))
            .build();
    try (HttpClient client = HttpClient.newHttpClient()) {
      assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(HttpTimeoutException.class);
    }
  }

  @Test
  void chunksDirectiveSetsTheNumberOfContentPieces() {
    List<String> data =
        sseData(http.chat(request("Split #mock:chunks=3", "\"stream\":true")).body());

    assertThat(data).hasSize(3 + 2); // 3 pieces, the finish chunk, [DONE]
  }

  @Test
  void stallAfterSendsSomeFramesThenGoesSilentWithoutClosing() throws IOException {
    try (Socket socket = http.openRaw(request("Stall #mock:stall-after=3", STREAM))) {
      InputStream in = socket.getInputStream();
      String seen = MockHttp.readEvents(in, 3);
      socket.setSoTimeout(300);

      assertThat(MockHttp.occurrences(seen, "data: ")).isEqualTo(3);
      assertThat(seen).doesNotContain("\r\n0\r\n\r\n");
      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void errorAfterSendsAnErrorFrameAndEnds() {
    List<String> data = sseData(http.chat(request("Fail #mock:error-after=3", STREAM)).body());

    assertThat(data).hasSize(4).doesNotContain("[DONE]");
    assertThat(data.subList(0, 3)).allSatisfy(d -> assertThat(json(d).has("choices")).isTrue());
    JsonNode error = json(data.getLast()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(502);
    assertThat(error.path("message").asText()).isNotEmpty();
  }

  @Test
  void resetClosesTheConnectionWithoutAResponse() {
    assertThatThrownBy(() -> http.chat(request("Bye #mock:reset", "")))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> http.chat(request("Bye", STREAM), "x-mock-fault", "#mock:reset"))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void resetAfterCutsTheStream() throws IOException {
    try (Socket socket = http.openRaw(request("Cut #mock:reset-after=3", STREAM))) {
      InputStream in = socket.getInputStream();
      socket.setSoTimeout(10_000);
      String all = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

      assertThat(MockHttp.occurrences(all, "data: ")).isEqualTo(3);
      assertThat(all).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n");
    }
    // The HTTP client reports the cut as an error, as it would for a real upstream.
    assertThatThrownBy(() -> http.chat(request("Cut #mock:reset-after=3", STREAM)))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void malformedSendsInvalidJsonAndInvalidSseData() {
    HttpResponse<String> body = http.chat(request("Broken #mock:malformed", ""));
    List<String> data = sseData(http.chat(request("Broken #mock:malformed", STREAM)).body());

    assertThat(body.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> json(body.body())).isInstanceOf(UncheckedIOException.class);
    assertThat(data).hasSize(3);
    assertThat(json(data.get(0)).path("choices")).hasSize(1);
    assertThatThrownBy(() -> json(data.get(1))).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void noUsageLeavesUsageOut() {
    JsonNode body = json(http.chat(request("Quiet #mock:no-usage", "")).body());
    List<String> data = sseData(http.chat(request("Quiet #mock:no-usage", STREAM)).body());

    assertThat(body.has("usage")).isFalse();
    assertThat(body.path("choices").path(0).path("message").path("content").asText()).isNotEmpty();
    assertThat(data.subList(0, data.size() - 1))
        .allSatisfy(d -> assertThat(json(d).path("choices")).hasSize(1));
  }

  @Test
  void reasoningComesBeforeContent() {
    JsonNode message =
        json(http.chat(request("Think #mock:reasoning", "")).body())
            .path("choices")
            .path(0)
            .path("message");
    List<String> data = sseData(http.chat(request("Think #mock:reasoning", STREAM)).body());

    assertThat(message.path("reasoning").asText()).startsWith("Mock reasoning about: Think");
    assertThat(message.path("content").asText()).startsWith("Mock answer to: Think");
    StringBuilder order = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    for (String d : data.subList(0, data.size() - 1)) {
      JsonNode delta = json(d).path("choices").path(0).path("delta");
      if (delta.has("reasoning")) {
        order.append('r');
        reasoning.append(delta.path("reasoning").asText());
      } else if (delta.has("content")) {
        order.append('c');
      }
    }
    assertThat(order).hasToString("rrrrrrrrcccccccc");
    assertThat(reasoning).hasToString(message.path("reasoning").asText());
    JsonNode usage = json(data.get(data.size() - 2)).path("usage");
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
        .isPositive();
  }

  @Test
  void apiKeyIsRequiredWhenSet() {
    try (MockUpstream secured = MockUpstream.start(MockOptions.of().withApiKey("sk-mock"));
        MockHttp client = new MockHttp(secured)) {
      HttpResponse<String> missing = client.chat(request("Hi", ""));
      HttpResponse<String> wrong =
          client.chat(request("Hi", ""), "authorization", "Bearer sk-other");
      HttpResponse<String> right =
          client.chat(request("Hi", ""), "authorization", "Bearer sk-mock");
      HttpResponse<String> models = client.get("/v1/models");

      assertThat(missing.statusCode()).isEqualTo(401);
      assertThat(json(missing.body()).path("error").path("code").asText())
          .isEqualTo("invalid_api_key");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(models.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void statsCountACancelledStreamAndTheLastRequest() throws Exception {
    http.chat(request("Plain", ""), "x-test", "one");
    http.chat(request("Streamed", STREAM));
    try (Socket socket = http.openRaw(request("Hang up", STREAM), "x-mock-fault: chunk-delay=50")) {
      MockHttp.readEvents(socket.getInputStream(), 2);
    }
    JsonNode stats = awaitStats(s -> s.path("streams_cancelled").asInt() == 1);

    assertThat(stats.path("requests").asInt()).isEqualTo(3);
    assertThat(stats.path("streams_started").asInt()).isEqualTo(2);
    assertThat(stats.path("streams_completed").asInt()).isEqualTo(1);
    assertThat(stats.path("last_request").path("messages").path(0).path("content").asText())
        .isEqualTo("Hang up");
    assertThat(stats.path("last_headers").path("x-mock-fault").asText())
        .isEqualTo("chunk-delay=50");
    assertThat(mock.stats().streamsCancelled()).isEqualTo(1);

    assertThat(http.post("/mock/reset", "").statusCode()).isEqualTo(200);
    JsonNode zeroed = json(http.get("/mock/stats").body());
    assertThat(zeroed.path("requests").asInt()).isZero();
    assertThat(zeroed.path("streams_cancelled").asInt()).isZero();
    assertThat(zeroed.path("last_request").isNull()).isTrue();
  }

  @Test
  void statsCountARequestAbandonedDuringTheDelayButNotTheMocksOwnReset() throws Exception {
    try (Socket socket = http.openRaw(request("Wait #mock:delay=60000", ""))) {
      awaitStats(s -> s.path("requests").asInt() == 1);
    }
    JsonNode stats = awaitStats(s -> s.path("requests_abandoned").asInt() == 1);
    try (Socket socket = http.openRaw(request("Hang up #mock:reset", ""))) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    http.chat(request("Plain", ""));
    try (Socket socket = http.openRaw(request("Hang up later #mock:reset-after=2", STREAM))) {
      socket.getInputStream().readAllBytes();
    }

    assertThat(stats.path("streams_cancelled").asInt()).isZero();
    assertThat(mock.stats().requests()).isEqualTo(4);
    assertThat(mock.stats().requestsAbandoned()).isEqualTo(1);
  }

  // The close travels over TCP; poll the stats (bounded) rather than sleep a guessed time.
  private JsonNode awaitStats(java.util.function.Predicate<JsonNode> condition)
      throws InterruptedException {
    JsonNode stats = json(http.get("/mock/stats").body());
    for (int i = 0; i < 500 && !condition.test(stats); i++) {
      Thread.sleep(10);
      stats = json(http.get("/mock/stats").body());
    }
    assertThat(condition).accepts(stats);
    return stats;
  }
}

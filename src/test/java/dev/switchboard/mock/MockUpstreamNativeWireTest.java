package dev.switchboard.mock;

import static dev.switchboard.mock.MockHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic, Gemini and Azure routes' wire shapes over real HTTP, where a typed SDK would
 * hide them: the exact SSE event sequence, error envelopes, auth per provider, and the checks the
 * mock makes of what it is sent. The adapters' own tests run their decoders on this output too.
 */
class MockUpstreamNativeWireTest {
  static final String KEY = "native-key";
  static final String ANTHROPIC = "{\"model\":\"claude-mock\",\"max_tokens\":100,\"stream\":%s,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]%s}";
  static final String GEMINI = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"%s\"}]}]%s}";

  static MockUpstream mock;
  static MockHttp http;

  @BeforeAll
  static void start() {
    mock = MockUpstream.start(MockOptions.of().withApiKey(KEY).withChunks(2));
    http = new MockHttp(mock);
  }

  @AfterAll
  static void stop() {
    http.close();
    mock.close();
  }

  static HttpResponse<String> anthropic(boolean stream, String text, String extra) {
    return http.post("/v1/messages", ANTHROPIC.formatted(stream, text, extra),
        "x-api-key", KEY, "anthropic-version", "2023-06-01");
  }

  /** {@code event:} names in order, each checked against its data's {@code type}. */
  static List<String> eventNames(String sse) {
    List<String> names = new ArrayList<>();
    for (String event : sse.split("\n\n")) {
      String[] lines = event.split("\n");
      assertThat(lines).hasSize(2);
      String name = lines[0].substring("event: ".length());
      assertThat(json(lines[1].substring("data: ".length())).path("type").asText()).isEqualTo(name);
      names.add(name);
    }
    return names;
  }

  @Test
  void anthropicStreamFollowsTheDocumentedEventSequence() {
    HttpResponse<String> text = anthropic(true, "Hi there", "");
    HttpResponse<String> thinkingAndTools = anthropic(true, "Hi there #mock:reasoning", ",\"tools\":["
        + "{\"name\":\"a\",\"input_schema\":{\"type\":\"object\"}},{\"name\":\"b\",\"input_schema\":{\"type\":\"object\"}}]");

    assertThat(text.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(eventNames(text.body())).containsExactly("message_start", "content_block_start", "ping",
        "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    assertThat(eventNames(thinkingAndTools.body())).containsExactly("message_start",
        "content_block_start", "ping", "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop",
        // each tool_use: an empty input_json_delta first, then the two pieces of its input
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop",
        "message_delta", "message_stop");
    assertThat(thinkingAndTools.body()).contains("\"type\":\"thinking_delta\"", "\"type\":\"signature_delta\"",
        "\"type\":\"input_json_delta\",\"partial_json\":\"\"", "\"stop_reason\":\"tool_use\"");
  }

  @Test
  void anthropicErrorsUseItsEnvelope() {
    HttpResponse<String> overloaded = anthropic(false, "x #mock:status=529", "");
    HttpResponse<String> limited = anthropic(false, "x #mock:status=429", "");
    HttpResponse<String> noVersion = http.post("/v1/messages", ANTHROPIC.formatted(false, "x", ""), "x-api-key", KEY);
    HttpResponse<String> noMaxTokens = http.post("/v1/messages",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        "x-api-key", KEY, "anthropic-version", "2023-06-01");
    HttpResponse<String> midStream = anthropic(true, "x #mock:error-after=2", "");

    assertThat(overloaded.statusCode()).isEqualTo(529);
    assertThat(json(overloaded.body()).path("type").asText()).isEqualTo("error");
    assertThat(json(overloaded.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
    assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
    assertThat(json(limited.body()).path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(noVersion.body()).contains("anthropic-version");
    assertThat(noMaxTokens.body()).contains("max_tokens: Field required");
    assertThat(midStream.body()).endsWith(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
            + "\"message\":\"Mock upstream fault: the stream failed.\"},\"request_id\":\"req_mock\"}\n\n");
  }

  @Test
  void geminiAnswersCandidatesWithUsageMetadata() {
    HttpResponse<String> response = http.post("/v1beta/models/gemini-mock:generateContent?key=" + KEY,
        GEMINI.formatted("Hi there", ",\"generationConfig\":{\"thinkingConfig\":{\"includeThoughts\":true}}"));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode root = json(response.body());
    JsonNode parts = root.path("candidates").path(0).path("content").path("parts");
    assertThat(parts.path(0).path("thought").asBoolean()).isTrue();
    assertThat(parts.path(1).path("text").asText()).isEqualTo("Mock answer to: Hi there");
    assertThat(root.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(root.path("modelVersion").asText()).isEqualTo("gemini-mock");
    JsonNode usage = root.path("usageMetadata");
    assertThat(usage.path("thoughtsTokenCount").asInt()).isEqualTo(5);
    assertThat(usage.path("candidatesTokenCount").asInt()).isEqualTo(5);
    assertThat(usage.path("totalTokenCount").asInt()).isEqualTo(usage.path("promptTokenCount").asInt() + 10);
  }

  @Test
  void geminiStreamsWholeResponsesAndFailsWithTheErrorEnvelope() {
    HttpResponse<String> stream = http.post("/v1beta/models/gemini-mock:streamGenerateContent?alt=sse",
        GEMINI.formatted("Hi there", ""), "x-goog-api-key", KEY);
    HttpResponse<String> failed = http.post("/v1beta/models/gemini-mock:streamGenerateContent?alt=sse",
        GEMINI.formatted("Hi #mock:error-after=1", ""), "x-goog-api-key", KEY);

    List<String> frames = MockHttp.sseData(stream.body());
    assertThat(frames).hasSize(2);
    assertThat(json(frames.get(0)).path("candidates").path(0).has("finishReason")).isFalse();
    assertThat(json(frames.get(1)).path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
    assertThat(json(frames.get(1)).path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(5);
    assertThat(json(MockHttp.sseData(failed.body()).getLast()))
        .isEqualTo(json("{\"error\":{\"code\":503,\"message\":\"Mock upstream fault: the stream failed.\","
            + "\"status\":\"UNAVAILABLE\"}}"));
  }

  @Test
  void geminiErrorsAndAuth() {
    HttpResponse<String> limited = http.post("/v1beta/models/m:generateContent",
        GEMINI.formatted("x #mock:status=429", ""), "x-goog-api-key", KEY);
    HttpResponse<String> noKey = http.post("/v1beta/models/m:generateContent", GEMINI.formatted("x", ""));
    HttpResponse<String> unknownField = http.post("/v1beta/models/m:generateContent",
        GEMINI.formatted("x", ",\"model\":\"m\""), "x-goog-api-key", KEY);
    HttpResponse<String> unsigned = http.post("/v1beta/models/m:generateContent", "{\"contents\":["
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]},"
        + "{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{}}}]},"
        + "{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"f\",\"response\":{\"result\":1}}}]}]}",
        "x-goog-api-key", KEY);

    JsonNode error = json(limited.body()).path("error");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).isEmpty();
    assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(error.path("details").path(0).path("retryDelay").asText()).isEqualTo("1s");
    assertThat(noKey.statusCode()).isEqualTo(403);
    assertThat(unknownField.statusCode()).isEqualTo(400);
    assertThat(unknownField.body()).contains("Unknown name \\\"model\\\"");
    assertThat(unsigned.statusCode()).isEqualTo(400);
    assertThat(unsigned.body()).contains("missing a thought_signature");
  }

  @Test
  void azureDeploymentRouteWantsApiVersionAndApiKey() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    String path = "/openai/deployments/my-gpt/chat/completions";

    HttpResponse<String> ok = http.post(path + "?api-version=2024-10-21", body, "api-key", KEY);
    HttpResponse<String> bearer = http.post(path + "?api-version=2024-10-21", body, "authorization", "Bearer " + KEY);
    HttpResponse<String> noVersion = http.post(path, body, "api-key", KEY);

    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(json(ok.body()).path("model").asText()).as("the deployment").isEqualTo("my-gpt");
    assertThat(bearer.statusCode()).isEqualTo(401);
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(mock.stats().lastUri()).isEqualTo(path);
  }
}

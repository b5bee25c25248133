package dev.switchboard.mock;

import static dev.switchboard.mock.MockHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.Message;
import software.amazon.eventstream.MessageDecoder;

/**
 * The Bedrock Converse route's wire shapes over real HTTP: the JSON answer, the event-stream
 * messages (decoded with AWS's own library), errors with {@code x-amzn-ErrorType}, the auth
 * checks, and the 400 rules the mock holds requests to. The adapter's own tests run its decoders
 * on this output too ({@code BedrockMockCompatTest}).
 */
class MockUpstreamBedrockWireTest {
  static final String KEY = "bedrock-api-key";
  static final String MODEL_PATH = "/model/anthropic.claude-mock-v1%3A0/";
  static final String SIGV4 = "AWS4-HMAC-SHA256 Credential=AKIDMOCK/20250101/us-east-1/bedrock/aws4_request,"
      + " SignedHeaders=content-type;host;x-amz-date, Signature=" + "ab".repeat(32);
  static final String TOOLS = ",\"toolConfig\":{\"tools\":["
      + "{\"toolSpec\":{\"name\":\"get_weather\",\"inputSchema\":{\"json\":{\"type\":\"object\","
      + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}},"
      + "{\"toolSpec\":{\"name\":\"get_time\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{}}}}}]}";

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

  static String request(String text, String extra) {
    return "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"
        + MockHttp.JSON.getNodeFactory().textNode(text) + "}]}]" + extra + "}";
  }

  static HttpResponse<String> converse(String body) {
    return http.post(MODEL_PATH + "converse", body, "authorization", "Bearer " + KEY);
  }

  static List<Message> stream(String body) {
    HttpResponse<byte[]> response = http.postForBytes(MODEL_PATH + "converse-stream", body, "authorization",
        "Bearer " + KEY);
    assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.amazon.eventstream");
    MessageDecoder decoder = new MessageDecoder();
    decoder.feed(response.body());
    return decoder.getDecodedMessages();
  }

  static String type(Message message) {
    var headers = message.getHeaders();
    String kind = headers.get(":message-type").getString();
    return kind.equals("event") ? headers.get(":event-type").getString() : "!" + headers.get(":exception-type").getString();
  }

  static JsonNode payload(Message message) {
    return json(new String(message.getPayload(), StandardCharsets.UTF_8));
  }

  @Test
  void converseAnswersWithOutputStopReasonUsageAndARequestId() {
    HttpResponse<String> response = converse(request("Hi there", ""));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode root = json(response.body());
    assertThat(root.path("output").path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(root.path("output").path("message").path("content"))
        .isEqualTo(json("[{\"text\":\"Mock answer to: Hi there\"}]"));
    assertThat(root.path("stopReason").asText()).isEqualTo("end_turn");
    assertThat(root.path("usage")).isEqualTo(json("{\"inputTokens\":2,\"outputTokens\":5,\"totalTokens\":7}"));
    assertThat(root.path("metrics").path("latencyMs").isInt()).isTrue();
    assertThat(response.headers().firstValue("x-amzn-RequestId")).hasValueSatisfying(
        id -> assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}"));
    assertThat(mock.stats().lastUri()).isEqualTo(MODEL_PATH + "converse");
  }

  @Test
  void converseAnswersToolUseAndReasoningBlocks() {
    HttpResponse<String> response = converse(request("Weather? #mock:reasoning", TOOLS));

    JsonNode content = json(response.body()).path("output").path("message").path("content");
    JsonNode reasoning = content.path(0).path("reasoningContent").path("reasoningText");
    assertThat(reasoning.path("text").asText()).isEqualTo("Mock reasoning about: Weather? #mock:reasoning");
    assertThat(MockSignatures.valid(reasoning.path("signature").asText(), reasoning.path("text").asText())).isTrue();
    assertThat(content.path(1)).isEqualTo(json("{\"toolUse\":{\"toolUseId\":\"tooluse_call_1\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"mock\"}}}"));
    assertThat(content.path(2).path("toolUse").path("input")).isEqualTo(json("{}"));
    assertThat(json(response.body()).path("stopReason").asText()).isEqualTo("tool_use");
  }

  @Test
  void converseStreamFollowsTheDocumentedEventSequence() {
    List<Message> text = stream(request("Hi there", ""));
    List<Message> tools = stream(request("Weather? #mock:reasoning", TOOLS));

    assertThat(text).extracting(MockUpstreamBedrockWireTest::type).containsExactly("messageStart",
        "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
    assertThat(text).allSatisfy(m -> assertThat(payload(m).path("p").asText()).isNotEmpty());
    assertThat(text).allSatisfy(
        m -> assertThat(m.getHeaders().get(":content-type").getString()).isEqualTo("application/json"));
    StringBuilder answer = new StringBuilder();
    text.subList(1, 3).forEach(m -> answer.append(payload(m).path("delta").path("text").asText()));
    assertThat(answer).hasToString("Mock answer to: Hi there");
    assertThat(payload(text.get(4)).path("stopReason").asText()).isEqualTo("end_turn");
    assertThat(payload(text.get(5)).path("usage").path("totalTokens").asInt()).isEqualTo(7);

    assertThat(tools).extracting(MockUpstreamBedrockWireTest::type).containsExactly("messageStart",
        // reasoning: two text pieces and the signature
        "contentBlockDelta", "contentBlockDelta", "contentBlockDelta", "contentBlockStop",
        // get_weather: its start, two input pieces
        "contentBlockStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop",
        // get_time, no arguments: no input at all
        "contentBlockStart", "contentBlockStop",
        "messageStop", "metadata");
    assertThat(payload(tools.get(3)).path("delta").path("reasoningContent").has("signature")).isTrue();
    assertThat(payload(tools.get(5)).path("start").path("toolUse").path("name").asText()).isEqualTo("get_weather");
    assertThat(payload(tools.get(5)).path("contentBlockIndex").asInt()).isEqualTo(1);
    assertThat(payload(tools.get(11)).path("stopReason").asText()).isEqualTo("tool_use");
  }

  @Test
  void streamFaultsBecomeExceptionMessagesOrBrokenPayloads() {
    List<Message> failed = stream(request("Hi there #mock:error-after=2", ""));
    List<Message> throttled = stream(request("Hi there #mock:error-after=2 #mock:error-status=429", ""));
    List<Message> malformed = stream(request("Hi there #mock:malformed", ""));

    assertThat(failed).extracting(MockUpstreamBedrockWireTest::type)
        .containsExactly("messageStart", "contentBlockDelta", "!modelStreamErrorException");
    assertThat(failed.getLast().getHeaders().get(":message-type").getString()).isEqualTo("exception");
    assertThat(payload(failed.getLast()).path("message").asText()).isEqualTo("Mock upstream fault: the stream failed.");
    assertThat(payload(failed.getLast()).path("originalStatusCode").asInt()).isEqualTo(500);
    assertThat(type(throttled.getLast())).isEqualTo("!throttlingException");
    assertThat(malformed).hasSize(2);
    assertThat(new String(malformed.get(1).getPayload(), StandardCharsets.UTF_8)).startsWith("{\"contentBlockIndex\"")
        .doesNotEndWith("}");
  }

  @Test
  void errorsNameTheirTypeInAHeader() {
    HttpResponse<String> limited = converse(request("x #mock:status=429", ""));
    HttpResponse<String> unavailable = converse(request("x #mock:status=503", ""));
    HttpResponse<String> invalid = converse("{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"text\":\"x\"}]}]}");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(
        t -> assertThat(t).startsWith("ThrottlingException:"));
    assertThat(json(limited.body())).isEqualTo(json("{\"message\":\"Mock upstream fault: HTTP 429 on request.\"}"));
    assertThat(unavailable.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(
        t -> assertThat(t).startsWith("ServiceUnavailableException:"));
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("x-amzn-ErrorType")).hasValueSatisfying(
        t -> assertThat(t).startsWith("ValidationException:"));
    assertThat(json(invalid.body()).path("message").asText()).startsWith("A conversation must start with a user message");
  }

  @Test
  void authTakesABedrockApiKeyOrAWellFormedSigV4Header() {
    String body = request("Hi", "");
    HttpResponse<String> signed = http.post(MODEL_PATH + "converse", body,
        "authorization", SIGV4, "x-amz-date", "20250101T120000Z");
    HttpResponse<String> none = http.post(MODEL_PATH + "converse", body);
    HttpResponse<String> wrongKey = http.post(MODEL_PATH + "converse", body, "authorization", "Bearer nope");
    HttpResponse<String> wrongService = http.post(MODEL_PATH + "converse", body,
        "authorization", SIGV4.replace("/bedrock/", "/s3/"), "x-amz-date", "20250101T120000Z");
    HttpResponse<String> noDate = http.post(MODEL_PATH + "converse", body, "authorization", SIGV4);
    HttpResponse<String> unsigned = http.post(MODEL_PATH + "converse", body,
        "authorization", "AWS4-HMAC-SHA256 Credential=AKIDMOCK", "x-amz-date", "20250101T120000Z");

    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    assertThat(List.of(none, wrongKey, wrongService, noDate, unsigned)).allSatisfy(r -> {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().firstValue("x-amzn-ErrorType")).isPresent();
    });
    assertThat(none.headers().firstValue("x-amzn-ErrorType").orElseThrow())
        .startsWith("MissingAuthenticationTokenException");
    assertThat(wrongService.body()).contains("scoped to correct service: 'bedrock'");
  }

  @Test
  void requestsAreHeldToBedrocksRules() {
    List<String> rejected = new ArrayList<>();
    for (String body : List.of(
        // roles must alternate
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]},{\"role\":\"user\",\"content\":[{\"text\":\"b\"}]}]}",
        // blank text
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\" \"}]}]}",
        // tool blocks without a toolConfig
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]},"
            + "{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"f\",\"input\":{}}}]},"
            + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[]}}]}]}",
        // a tool result that answers nothing
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t9\",\"content\":[]}}]}]"
            + TOOLS + "}",
        // an unknown field
        request("a", ",\"stream\":true"),
        // temperature out of range
        request("a", ",\"inferenceConfig\":{\"temperature\":1.5}"),
        // thinking with a forced tool
        request("a", TOOLS.replace("]}", "],\"toolChoice\":{\"any\":{}}}")
            + ",\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}"),
        // an image that is not base64
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"image\":{\"format\":\"png\",\"source\":{\"bytes\":\"@@\"}}}]}]}")) {
      HttpResponse<String> response = converse(body);
      if (response.statusCode() == 400) {
        rejected.add(json(response.body()).path("message").asText());
      }
    }

    assertThat(rejected).hasSize(8);
    assertThat(rejected.get(0)).contains("must alternate between user and assistant");
    assertThat(rejected.get(1)).contains("is blank");
    assertThat(rejected.get(2)).contains("toolConfig field must be defined");
    assertThat(rejected.get(3)).contains("unexpected `tool_use_id`");
    assertThat(rejected.get(6)).contains("Thinking may not be enabled when tool_choice forces tool use");
  }

  @Test
  void thinkingIsAnsweredAndOnlyClaudeTakesAdditionalFields() {
    String thinking = ",\"inferenceConfig\":{\"maxTokens\":4096},"
        + "\"additionalModelRequestFields\":{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}";

    HttpResponse<String> claude = converse(request("Think", thinking));
    HttpResponse<String> llama = http.post("/model/meta.llama-mock-v1%3A0/converse", request("Think", thinking),
        "authorization", "Bearer " + KEY);

    assertThat(json(claude.body()).path("output").path("message").path("content").path(0).has("reasoningContent"))
        .isTrue();
    assertThat(llama.statusCode()).isEqualTo(400);
    assertThat(llama.body()).contains("extraneous key [thinking]");
  }
}

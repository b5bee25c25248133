package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.MockExchange;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapter against the mock's Gemini route: the mock accepts every golden request the encoder
 * writes (it enforces Gemini's field and schema checks), and the decoders and error classifier
 * read everything the mock answers, faults included.
 */
class GeminiMockCompatTest {
  static final String KEY = "gemini-mock-key";
  static final GeminiAdapter ADAPTER = GeminiFixtureTest.ADAPTER;
  /** A recorded signature from the real Gemini, which the mock (like Gemini) does not accept. */
  static final Pattern FOREIGN_SIGNATURE =
      Pattern.compile("\"thoughtSignature\":\\s*\"(?!skip_thought_signature_validator)");
  static MockUpstream mock;
  static MockExchange http;

  @BeforeAll
  static void start() {
    mock = MockUpstream.start(MockOptions.of().withApiKey(KEY));
    http = new MockExchange();
  }

  @AfterAll
  static void stop() {
    http.close();
    mock.close();
  }

  static Target target() {
    return new Target("google", "gemini-mock", mock.rootUrl() + "/v1beta");
  }

  static UpstreamResponse send(String path, byte[] body, String fault) {
    return http.post(mock.rootUrl() + "/v1beta" + path, Map.of("x-goog-api-key", KEY, "x-mock-fault", fault), body);
  }

  static String streamPath(String path) {
    return path.replace(":generateContent", ":streamGenerateContent?alt=sse");
  }

  static Stream<Fixture> goldenRequests() {
    return GeminiFixtureTest.encodeCases()
        .filter(f -> !FOREIGN_SIGNATURE.matcher(f.read("upstream-request.json")).find());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenRequests")
  void theMockTakesEveryGoldenRequestAndTheDecodersReadItsAnswers(Fixture fixture) {
    UpstreamRequest encoded =
        ADAPTER.encode(CanonicalJson.readRequest(parse(fixture.read("canonical-request.json"))), target());
    String path = encoded.path().replace(":streamGenerateContent?alt=sse", ":generateContent");

    UpstreamResponse whole = send(path, encoded.body(), "none");
    UpstreamResponse streamed = send(streamPath(path), encoded.body(), "none");

    assertThat(whole.status()).as(whole.bodyText()).isEqualTo(200);
    ChatResponse response = ADAPTER.decode(whole, target());
    assertThat(response.choices()).hasSize(1);
    assertThat(response.choices().getFirst().finishReason()).isNotNull();
    assertThat(response.usage()).isNotNull();
    assertThat(streamed.status()).as(streamed.bodyText()).isEqualTo(200);
    List<StreamEvent> events = MockExchange.decode(streamed.body(), ADAPTER.newStreamDecoder(target()));
    assertThat(events.getFirst()).isInstanceOf(StreamEvent.Started.class);
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.Failure);
    assertThat(events.getLast()).isInstanceOf(StreamEvent.Finish.class);
    assertThat(events).anyMatch(e -> e instanceof StreamEvent.UsageReport);
  }

  @Test
  void theThoughtSignatureRidesInTheCallIdAndIsAcceptedBack() {
    String tools = "\"tools\":[{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"zone\":{\"type\":\"string\"}}}}]";
    ChatRequest first = CanonicalJson.readRequest(parse(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Time?\"}]," + tools + "}"));
    UpstreamRequest encoded = ADAPTER.encode(first, target());

    ToolCall call = ADAPTER.decode(send(encoded.path(), encoded.body(), "none"), target())
        .choices().getFirst().message().toolCalls().getFirst();
    ChatRequest second = CanonicalJson.readRequest(parse("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Time?\"},"
        + "{\"role\":\"assistant\",\"toolCalls\":[{\"id\":\"" + call.id() + "\",\"name\":\"get_time\","
        + "\"arguments\":" + CanonicalJson.JSON.getNodeFactory().textNode(call.arguments()) + "}]},"
        + "{\"role\":\"tool\",\"toolCallId\":\"" + call.id() + "\",\"content\":\"14:05\"}]," + tools + "}"));
    UpstreamRequest next = ADAPTER.encode(second, target());
    UpstreamResponse answer = send(next.path(), next.body(), "none");

    assertThat(call.id()).startsWith("call_0__thought__").doesNotContain("+", "/", "=");
    assertThat(answer.status()).as(answer.bodyText()).isEqualTo(200);
    assertThat(ADAPTER.decode(answer, target()).choices().getFirst().message().textContent())
        .isEqualTo("Tool result received: 14:05");
  }

  @Test
  void faultsAreClassifiedAsGeminisOwnWouldBe() {
    UpstreamRequest encoded = ADAPTER.encode(CanonicalJson.readRequest(parse(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")), target());

    UpstreamError limited = ADAPTER.classify(send(encoded.path(), encoded.body(), "status=429"));
    UpstreamError unavailable = ADAPTER.classify(send(encoded.path(), encoded.body(), "status=503"));
    UpstreamError badKey = ADAPTER.classify(http.post(mock.rootUrl() + "/v1beta" + encoded.path(),
        Map.of("x-goog-api-key", "wrong"), encoded.body()));
    UpstreamResponse byQuery = http.post(mock.rootUrl() + "/v1beta" + encoded.path() + "?key=" + KEY,
        Map.of(), encoded.body());
    List<StreamEvent> midStream = MockExchange.decode(
        send(streamPath(encoded.path()), encoded.body(), "error-after=2").body(), ADAPTER.newStreamDecoder(target()));

    assertThat(limited.kind()).isEqualTo(UpstreamError.Kind.RATE_LIMITED);
    assertThat(limited.retryAfter()).as("RetryInfo in the body").isEqualTo(Duration.ofSeconds(1));
    assertThat(unavailable.kind()).isEqualTo(UpstreamError.Kind.SERVER);
    assertThat(badKey.kind()).as("400 API_KEY_INVALID").isEqualTo(UpstreamError.Kind.AUTH);
    assertThat(byQuery.status()).as(byQuery.bodyText()).isEqualTo(200);
    assertThat(midStream).anyMatch(e -> e instanceof StreamEvent.TextDelta);
    assertThat(((StreamEvent.Failure) midStream.getLast()).error().status()).isEqualTo(503);
  }

  @Test
  void aSchemaKeywordGeminiDoesNotKnowIsRejected() {
    byte[] body = """
        {"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"tools":[{"functionDeclarations":[{"name":"f",
         "parameters":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}}]}]}"""
        .getBytes(StandardCharsets.UTF_8);

    UpstreamError error = ADAPTER.classify(send("/models/m:generateContent", body, "none"));

    assertThat(error.kind()).isEqualTo(UpstreamError.Kind.BAD_REQUEST);
    assertThat(error.message()).contains("Unknown name \"additionalProperties\"");
  }
}

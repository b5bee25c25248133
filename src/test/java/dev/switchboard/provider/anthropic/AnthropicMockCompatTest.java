package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.StreamEvent;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapter against the mock's Anthropic route: the mock accepts every golden request the
 * encoder writes (it enforces Anthropic's 400 rules), and the decoders and error classifier read
 * everything the mock answers, faults included.
 */
class AnthropicMockCompatTest {
  static final String KEY = "sk-ant-mock";
  static final AnthropicAdapter ADAPTER = AnthropicFixtureTest.ADAPTER;
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
    return new Target("anthropic", "claude-mock", mock.rootUrl());
  }

  static UpstreamResponse send(UpstreamRequest encoded, byte[] body, String fault) {
    Map<String, String> headers = new HashMap<>(encoded.headers());
    headers.put(AnthropicAdapter.AUTH_HEADER, KEY);
    headers.put("x-mock-fault", fault);
    return http.post(mock.rootUrl() + encoded.path(), headers, body);
  }

  static UpstreamRequest encode(ChatRequest request) {
    return ADAPTER.encode(request, target());
  }

  static ChatRequest ask(String text) {
    return CanonicalJson.readRequest(parse(
        "{\"model\":\"claude-mock\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));
  }

  /**
   * The golden requests, less those that send back thinking signed by the real Anthropic: the
   * mock, like Anthropic, takes back only signatures it issued.
   */
  static Stream<Fixture> goldenRequests() {
    return AnthropicFixtureTest.encodeCases().filter(f -> !f.read("upstream-request.json").contains("\"signature\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenRequests")
  void theMockTakesEveryGoldenRequestAndTheDecodersReadItsAnswers(Fixture fixture) {
    UpstreamRequest encoded = encode(CanonicalJson.readRequest(parse(fixture.read("canonical-request.json"))));

    UpstreamResponse whole = send(encoded, MockExchange.withStream(encoded.body(), false), "none");
    UpstreamResponse streamed = send(encoded, MockExchange.withStream(encoded.body(), true), "none");

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
  void thinkingComesBackSignedAndTheSignedBlockIsAcceptedOnTheNextTurn() {
    String tools = "\"tools\":[{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\"}}],"
        + "\"extra\":{\"reasoning\":{\"effort\":\"low\"}}";
    ChatRequest first = CanonicalJson.readRequest(parse("{\"model\":\"claude-mock\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"Think about it\"}]," + tools + "}"));

    ChatResponse answer = ADAPTER.decode(send(encode(first), encode(first).body(), "none"), target());

    Message assistant = answer.choices().getFirst().message();
    assertThat(assistant.reasoning()).isEqualTo("Mock reasoning about: Think about it");
    ContentPart.Unknown thinking = assistant.content().stream()
        .filter(p -> p instanceof ContentPart.Unknown u && u.type().equals("thinking"))
        .map(ContentPart.Unknown.class::cast).findFirst().orElseThrow();
    assertThat(thinking.raw().json()).contains("\"signature\"");
    ToolCall call = assistant.toolCalls().getFirst();
    // The tool-result turn keeps thinking on only because the signed block goes back verbatim.
    ChatRequest second = CanonicalJson.readRequest(parse("{\"model\":\"claude-mock\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Think about it\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"unknown\",\"partType\":\"thinking\",\"raw\":"
        + thinking.raw().json() + "}],\"toolCalls\":[{\"id\":\"" + call.id() + "\",\"name\":\"get_time\","
        + "\"arguments\":\"{}\"}]},"
        + "{\"role\":\"tool\",\"toolCallId\":\"" + call.id() + "\",\"content\":\"14:05\"}]," + tools + "}"));
    UpstreamRequest encoded = encode(second);
    UpstreamResponse response = send(encoded, encoded.body(), "none");

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(parse(new String(encoded.body(), StandardCharsets.UTF_8)).path("thinking").path("type").asText())
        .isEqualTo("enabled");
    assertThat(ADAPTER.decode(response, target()).choices().getFirst().message().textContent())
        .isEqualTo("Tool result received: 14:05");
  }

  @Test
  void aTamperedSignatureIsRejectedAsAnthropicWould() {
    ChatRequest request = CanonicalJson.readRequest(parse("""
        {"model":"claude-mock","messages":[{"role":"user","content":"Hi"},
         {"role":"assistant","content":[{"type":"unknown","partType":"thinking",
           "raw":{"type":"thinking","thinking":"hm","signature":"Zm9yZ2Vk"}},{"type":"text","text":"Hello"}]},
         {"role":"user","content":"Again"}]}"""));

    UpstreamResponse response = send(encode(request), encode(request).body(), "none");

    UpstreamError error = ADAPTER.classify(response);
    assertThat(error.kind()).isEqualTo(UpstreamError.Kind.BAD_REQUEST);
    assertThat(error.message()).contains("Invalid `signature` in `thinking` block");
  }

  @Test
  void faultsAreClassifiedAsAnthropicsOwnWouldBe() {
    UpstreamRequest encoded = encode(ask("Hello"));

    UpstreamError limited = ADAPTER.classify(send(encoded, encoded.body(), "status=429"));
    UpstreamError overloaded = ADAPTER.classify(send(encoded, encoded.body(), "status=529"));
    UpstreamError badKey = ADAPTER.classify(http.post(mock.rootUrl() + encoded.path(),
        Map.of("anthropic-version", "2023-06-01", "x-api-key", "wrong"), encoded.body()));

    assertThat(limited.kind()).isEqualTo(UpstreamError.Kind.RATE_LIMITED);
    assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(overloaded.kind()).isEqualTo(UpstreamError.Kind.SERVER);
    assertThat(overloaded.status()).isEqualTo(529);
    assertThat(overloaded.retryable()).isTrue();
    assertThat(badKey.kind()).isEqualTo(UpstreamError.Kind.AUTH);
    assertThat(badKey.message()).isEqualTo("invalid x-api-key");
  }

  @Test
  void streamFaultsEndInTheFailuresTheDecoderKnows() {
    byte[] body = MockExchange.withStream(encode(ask("Hello there")).body(), true);
    UpstreamRequest encoded = encode(ask("Hello there"));

    List<StreamEvent> midStream =
        MockExchange.decode(send(encoded, body, "error-after=4").body(), ADAPTER.newStreamDecoder(target()));
    List<StreamEvent> malformed =
        MockExchange.decode(send(encoded, body, "malformed").body(), ADAPTER.newStreamDecoder(target()));

    assertThat(midStream).anyMatch(e -> e instanceof StreamEvent.TextDelta);
    assertThat(failure(midStream).kind()).isEqualTo(UpstreamError.Kind.SERVER);
    assertThat(failure(midStream).status()).as("overloaded_error").isEqualTo(529);
    assertThat(failure(malformed).kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
  }

  static UpstreamError failure(List<StreamEvent> events) {
    assertThat(events.getLast()).isInstanceOf(StreamEvent.Failure.class);
    return ((StreamEvent.Failure) events.getLast()).error();
  }
}

package dev.switchboard.provider.bedrock;

import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.Secret;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.ToolCall;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.mock.MockOptions;
import dev.switchboard.mock.MockUpstream;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.MockExchange;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import dev.switchboard.provider.transport.UpstreamAuth;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
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
 * The adapter against the mock's Bedrock route: the mock accepts every golden request the encoder
 * writes (it enforces Bedrock's 400 rules), and the decoders and error classifier read everything
 * the mock answers, as JSON and as event streams, faults included.
 */
class BedrockMockCompatTest {
  static final String KEY = "bedrock-mock-key";
  static final String CLAUDE = "anthropic.claude-mock-v1:0";
  static final BedrockAdapter ADAPTER = BedrockFixtureTest.ADAPTER;
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

  static Target target(String modelId) {
    return new Target("bedrock", modelId, mock.rootUrl());
  }

  static UpstreamResponse send(UpstreamRequest encoded, String fault) {
    Map<String, String> headers = new HashMap<>(encoded.headers());
    headers.put("authorization", "Bearer " + KEY);
    headers.put("x-mock-fault", fault);
    return http.post(mock.rootUrl() + encoded.path(), headers, encoded.body());
  }

  /** The same request as Converse: only the path (and accept) differ, the body is the same. */
  static UpstreamRequest whole(UpstreamRequest encoded, String modelId) {
    return new UpstreamRequest(BedrockAdapter.path(modelId, false), Map.of(), encoded.body(), false);
  }

  /** The same request as ConverseStream. */
  static UpstreamRequest streamed(UpstreamRequest encoded, String modelId) {
    return new UpstreamRequest(BedrockAdapter.path(modelId, true),
        Map.of("accept", "application/vnd.amazon.eventstream"), encoded.body(), true);
  }

  static ChatRequest ask(String text, String extra) {
    return CanonicalJson.readRequest(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
        + CanonicalJson.JSON.getNodeFactory().textNode(text) + "}]" + extra + "}"));
  }

  /**
   * The golden requests, less those that send back reasoning signed by the real Bedrock: the mock,
   * like Claude, takes back only signatures it issued.
   */
  static Stream<Fixture> goldenRequests() {
    return BedrockFixtureTest.encodeCases().filter(f -> !f.read("upstream-request.json").contains("\"signature\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenRequests")
  void theMockTakesEveryGoldenRequestAndTheDecodersReadItsAnswers(Fixture fixture) {
    var canonical = parse(fixture.read("canonical-request.json"));
    String modelId = CanonicalJson.providerModelId(canonical);
    UpstreamRequest encoded = ADAPTER.encode(CanonicalJson.readRequest(canonical), target(modelId));

    UpstreamResponse whole = send(whole(encoded, modelId), "none");
    UpstreamResponse streamed = send(streamed(encoded, modelId), "none");

    assertThat(whole.status()).as(whole.bodyText()).isEqualTo(200);
    ChatResponse response = ADAPTER.decode(whole, target(modelId));
    assertThat(response.upstreamId()).isEqualTo(whole.header("x-amzn-requestid")).isNotBlank();
    assertThat(response.choices()).hasSize(1);
    assertThat(response.choices().getFirst().finishReason()).isNotNull();
    assertThat(response.usage()).isNotNull();
    assertThat(streamed.status()).as(streamed.bodyText()).isEqualTo(200);
    List<StreamEvent> events = BedrockFixtureTest.decode(streamed.body());
    assertThat(events.getFirst()).isInstanceOf(StreamEvent.Started.class);
    assertThat(events).noneMatch(e -> e instanceof StreamEvent.Failure);
    assertThat(events.getLast()).isInstanceOf(StreamEvent.Finish.class);
    assertThat(events).anyMatch(e -> e instanceof StreamEvent.UsageReport);
  }

  @Test
  void theContractsSampleRequestsAreAcceptedToo() {
    for (String modelId : List.of(CLAUDE, "amazon.nova-mock-v1:0")) {
      for (ChatRequest request : BedrockAdapterTest.requests()) {
        UpstreamResponse response = send(ADAPTER.encode(request, target(modelId)), "none");

        assertThat(response.status()).as("%s: %s", modelId, response.bodyText()).isEqualTo(200);
      }
    }
  }

  @Test
  void whileThinkingATemperatureGoesAsAskedAndClaudeSaysWhatToChange() {
    ChatRequest request = ask("Hi", ",\"temperature\":0.3,\"extra\":{\"reasoning\":{\"effort\":\"low\"}}");

    UpstreamResponse response = send(ADAPTER.encode(request, target(CLAUDE)), "none");

    assertThat(ADAPTER.classify(response).kind()).isEqualTo(UpstreamError.Kind.BAD_REQUEST);
    assertThat(response.bodyText()).contains("`temperature` may only be set to 1 when thinking is enabled");
  }

  @Test
  void aJsonSchemaIsAnsweredThroughTheForcedToolAsText() {
    ChatRequest request = ask("Weather in Paris as JSON", ",\"responseFormat\":{\"type\":\"json_schema\","
        + "\"name\":\"weather\",\"schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}");
    UpstreamRequest encoded = ADAPTER.encode(request, target(CLAUDE));

    ChatResponse whole = ADAPTER.decode(send(encoded, "none"), target(CLAUDE));
    List<StreamEvent> events = BedrockFixtureTest.decode(send(streamed(encoded, CLAUDE), "none").body());

    assertThat(whole.choices().getFirst().message().textContent()).isEqualTo("{\"city\":\"mock\"}");
    List<String> pieces = events.stream().filter(e -> e instanceof StreamEvent.TextDelta)
        .map(e -> ((StreamEvent.TextDelta) e).text()).toList();
    assertThat(pieces).as("the answer tool's input streams as text").hasSizeGreaterThan(1);
    assertThat(String.join("", pieces)).isEqualTo("{\"city\":\"mock\"}");
    assertThat(events.getLast()).isEqualTo(new StreamEvent.Finish(0, dev.switchboard.core.FinishReason.STOP, "tool_use"));
  }

  @Test
  void signedReasoningComesBackAndIsAcceptedOnTheToolResultTurn() {
    String tools = ",\"tools\":[{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\"}}],"
        + "\"extra\":{\"reasoning\":{\"effort\":\"low\"}}";
    ChatRequest first = ask("Think about it", tools);

    ChatResponse answer = ADAPTER.decode(send(ADAPTER.encode(first, target(CLAUDE)), "none"), target(CLAUDE));

    Message assistant = answer.choices().getFirst().message();
    assertThat(assistant.reasoning()).isEqualTo("Mock reasoning about: Think about it");
    ContentPart.Unknown reasoning = assistant.content().stream()
        .filter(p -> p instanceof ContentPart.Unknown u && u.type().equals(BedrockResponseDecoder.REASONING_BLOCK))
        .map(ContentPart.Unknown.class::cast).findFirst().orElseThrow();
    assertThat(reasoning.raw().json()).contains("\"signature\"");
    ToolCall call = assistant.toolCalls().getFirst();
    ChatRequest second = CanonicalJson.readRequest(parse("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Think about it\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"unknown\",\"partType\":\"reasoningContent\",\"raw\":"
        + reasoning.raw().json() + "}],\"toolCalls\":[{\"id\":\"" + call.id() + "\",\"name\":\"get_time\","
        + "\"arguments\":\"{}\"}]},"
        + "{\"role\":\"tool\",\"toolCallId\":\"" + call.id() + "\",\"content\":\"14:05\"}]" + tools + "}"));
    UpstreamRequest encoded = ADAPTER.encode(second, target(CLAUDE));
    UpstreamResponse response = send(encoded, "none");

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(new String(encoded.body(), StandardCharsets.UTF_8)).contains("\"thinking\":{\"type\":\"enabled\"");
    assertThat(ADAPTER.decode(response, target(CLAUDE)).choices().getFirst().message().textContent())
        .isEqualTo("Tool result received: 14:05");
  }

  @Test
  void faultsAreClassifiedAsBedrocksOwnWouldBe() {
    UpstreamRequest encoded = ADAPTER.encode(ask("Hello", ""), target(CLAUDE));

    UpstreamError throttled = ADAPTER.classify(send(encoded, "status=429"));
    UpstreamError unavailable = ADAPTER.classify(send(encoded, "status=503"));
    UpstreamError modelError = ADAPTER.classify(send(encoded, "status=424"));
    UpstreamError badKey = ADAPTER.classify(http.post(mock.rootUrl() + encoded.path(),
        Map.of("authorization", "Bearer wrong"), encoded.body()));
    UpstreamError invalid = ADAPTER.classify(http.post(mock.rootUrl() + encoded.path(),
        Map.of("authorization", "Bearer " + KEY), "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8)));

    assertThat(throttled.kind()).isEqualTo(UpstreamError.Kind.RATE_LIMITED);
    assertThat(throttled.message()).startsWith("ThrottlingException: ");
    assertThat(unavailable.kind()).isEqualTo(UpstreamError.Kind.SERVER);
    assertThat(modelError.kind()).isEqualTo(UpstreamError.Kind.SERVER);
    assertThat(badKey.kind()).isEqualTo(UpstreamError.Kind.AUTH);
    assertThat(invalid.kind()).isEqualTo(UpstreamError.Kind.BAD_REQUEST);
    assertThat(invalid.message()).startsWith("ValidationException: A conversation must start with a user message");
    assertThatThrownBy(() -> ADAPTER.decode(send(encoded, "malformed"), target(CLAUDE)))
        .isInstanceOfSatisfying(UpstreamException.class,
            e -> assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED));
  }

  @Test
  void streamFaultsEndInTheFailuresTheDecoderKnows() {
    UpstreamRequest encoded = streamed(ADAPTER.encode(ask("Hello there", ""), target(CLAUDE)), CLAUDE);

    List<StreamEvent> modelError = BedrockFixtureTest.decode(send(encoded, "error-after=3").body());
    List<StreamEvent> throttled = BedrockFixtureTest.decode(send(encoded, "error-after=3 error-status=429").body());
    List<StreamEvent> malformed = BedrockFixtureTest.decode(send(encoded, "malformed").body());
    List<StreamEvent> noUsage = BedrockFixtureTest.decode(send(encoded, "no-usage").body());

    assertThat(modelError).anyMatch(e -> e instanceof StreamEvent.TextDelta);
    assertThat(failure(modelError).kind()).isEqualTo(UpstreamError.Kind.SERVER);
    assertThat(failure(modelError).message()).startsWith("modelStreamErrorException: ");
    assertThat(failure(throttled).kind()).isEqualTo(UpstreamError.Kind.RATE_LIMITED);
    assertThat(failure(malformed).kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
    assertThat(noUsage).noneMatch(e -> e instanceof StreamEvent.UsageReport);
    assertThat(noUsage.getLast()).isInstanceOf(StreamEvent.Finish.class);
  }

  @Test
  void aRequestSignedWithSigV4IsAccepted() {
    UpstreamRequest encoded = ADAPTER.encode(ask("Hello", ""), target(CLAUDE));
    String url = mock.rootUrl() + encoded.path();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("content-type", "application/json");
    UpstreamAuth.SigV4.bedrock("AKIDMOCK", Secret.of("secret"), null, "us-east-1")
        .apply(headers, HttpMethod.POST, url, encoded.body());
    Map<String, String> sent = new HashMap<>();
    headers.forEach(h -> sent.put(h.getKey(), h.getValue()));

    UpstreamResponse response = http.post(url, sent, encoded.body());

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(mock.stats().lastHeaders().get("authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDMOCK/").contains("/us-east-1/bedrock/aws4_request");
  }

  static UpstreamError failure(List<StreamEvent> events) {
    assertThat(events.getLast()).isInstanceOf(StreamEvent.Failure.class);
    return ((StreamEvent.Failure) events.getLast()).error();
  }
}

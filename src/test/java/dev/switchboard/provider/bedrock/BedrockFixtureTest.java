package dev.switchboard.provider.bedrock;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import dev.switchboard.provider.transport.AwsEventStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Walks {@code fixtures/bedrock/<case>/} and checks each kind of file pair against the adapter. */
class BedrockFixtureTest {
  static final BedrockAdapter ADAPTER = BedrockAdapter.create();
  static final String BASE_URL = BedrockAdapter.baseUrl("us-east-1");

  static Stream<Fixture> encodeCases() {
    return Fixtures.having("bedrock"::equals, "canonical-request.json", "upstream-request.json");
  }

  static Stream<Fixture> rejectionCases() {
    return Fixtures.having("bedrock"::equals, "canonical-request.json", "expected-rejection.json");
  }

  static Stream<Fixture> decodeCases() {
    return Fixtures.having("bedrock"::equals, "upstream-response.json", "canonical-response.json");
  }

  static Stream<Fixture> streamCases() {
    return Fixtures.having("bedrock"::equals, "upstream-events.json", "events.jsonl");
  }

  static Stream<Fixture> errorCases() {
    return Fixtures.having("bedrock"::equals, "error.json", "status.txt", "expected-error.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeCases")
  void encodesTheCanonicalRequestAsRecorded(Fixture fixture) {
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    ChatRequest request = CanonicalJson.readRequest(canonicalRequest);
    String modelId = CanonicalJson.providerModelId(canonicalRequest);

    UpstreamRequest encoded = ADAPTER.encode(request, new Target("bedrock", modelId, BASE_URL));

    assertThat(canonical(new String(encoded.body(), StandardCharsets.UTF_8)))
        .isEqualTo(canonical(fixture.read("upstream-request.json")));
    assertThat(encoded.path()).isEqualTo(BedrockAdapter.path(modelId, request.stream()));
    assertThat(encoded.stream()).isEqualTo(request.stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectionCases")
  void rejectsWhatBedrockCannotExpressNamingThePart(Fixture fixture) {
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    ChatRequest request = CanonicalJson.readRequest(canonicalRequest);
    JsonNode expected = parse(fixture.read("expected-rejection.json"));
    Target target = new Target("bedrock", CanonicalJson.providerModelId(canonicalRequest), BASE_URL);

    assertThatThrownBy(() -> ADAPTER.encode(request, target))
        .isInstanceOfSatisfying(GatewayException.InvalidRequest.class, e -> {
          assertThat(e.param()).isEqualTo(expected.get("param").asText());
          assertThat(e.getMessage()).contains(expected.get("messageContains").asText());
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void decodesTheUpstreamResponseAsRecorded(Fixture fixture) {
    Map<String, String> headers =
        fixture.has("headers.json") ? CanonicalJson.stringMap(parse(fixture.read("headers.json"))) : Map.of();
    var response = new UpstreamResponse(200, headers, fixture.bytes("upstream-response.json"));

    ChatResponse decoded = ADAPTER.decode(response, target());

    assertThat(canonical(CanonicalJson.write(decoded))).isEqualTo(canonical(fixture.read("canonical-response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void decodesTheRecordedStreamIntoTheExpectedEvents(Fixture fixture) {
    List<StreamEvent> events = decode(body(fixture));

    assertThat(render(events)).isEqualTo(expectedEvents(fixture));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void classifiesTheRecordedError(Fixture fixture) {
    int status = Integer.parseInt(fixture.read("status.txt").strip());
    Map<String, String> headers =
        fixture.has("headers.json") ? CanonicalJson.stringMap(parse(fixture.read("headers.json"))) : Map.of();

    UpstreamError error = ADAPTER.classify(new UpstreamResponse(status, headers, fixture.bytes("error.json")));

    assertThat(canonical(CanonicalJson.write(error))).isEqualTo(canonical(fixture.read("expected-error.json")));
    assertThat(error.raw()).as("the raw body is kept verbatim").isEqualTo(fixture.read("error.json"));
  }

  @Test
  void everyFixtureDirectoryIsExercised() {
    List<Fixture> all = Fixtures.all("bedrock"::equals);
    var used = Stream.of(encodeCases(), rejectionCases(), decodeCases(), streamCases(), errorCases())
        .flatMap(s -> s)
        .map(Fixture::toString)
        .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(25);
    assertThat(all.stream().map(Fixture::toString).filter(name -> !used.contains(name)))
        .as("fixture directories without a complete input/expected pair (a typo in a file name?)")
        .isEmpty();
  }

  static Target target() {
    return new Target("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", BASE_URL);
  }

  static byte[] body(Fixture fixture) {
    return BedrockEventStreams.encode(fixture.read("upstream-events.json"));
  }

  /** Frames and decodes a whole body, as the transport would deliver it in one piece. */
  static List<StreamEvent> decode(byte[] body) {
    AwsEventStreamReader reader = AwsEventStreamReader.create();
    var frames = new ArrayList<Frame>(reader.feed(body));
    frames.addAll(reader.finish());
    StreamDecoder decoder = ADAPTER.newStreamDecoder(target());
    var events = new ArrayList<StreamEvent>();
    for (Frame frame : frames) {
      events.addAll(decoder.onFrame(frame));
    }
    events.addAll(decoder.onEnd());
    return events;
  }

  static String render(List<StreamEvent> events) {
    return events.stream().map(e -> canonical(CanonicalJson.write(e))).collect(Collectors.joining("\n"));
  }

  static String expectedEvents(Fixture fixture) {
    return fixture.read("events.jsonl").lines().filter(l -> !l.isBlank()).map(CanonicalJson::canonical)
        .collect(Collectors.joining("\n"));
  }
}

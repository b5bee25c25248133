package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
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
import dev.switchboard.provider.transport.SseReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the golden fixtures under {@code fixtures/gemini/} and checks each pair of files against
 * the adapter (see {@code fixtures/README.md}). Adding a case needs no change here.
 */
class GeminiFixtureTest {
  static final String PROVIDER = "gemini";
  static final GeminiAdapter ADAPTER = GeminiAdapter.create();

  static Stream<Fixture> encodeCases() {
    return Fixtures.having(PROVIDER::equals, "canonical-request.json", "upstream-request.json");
  }

  static Stream<Fixture> decodeCases() {
    return Fixtures.having(PROVIDER::equals, "upstream-response.json", "canonical-response.json");
  }

  static Stream<Fixture> streamCases() {
    return Fixtures.having(PROVIDER::equals, "upstream.sse", "events.jsonl");
  }

  static Stream<Fixture> errorCases() {
    return Fixtures.having(PROVIDER::equals, "error.json", "status.txt", "expected-error.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeCases")
  void encodesTheCanonicalRequestAsRecorded(Fixture fixture) {
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    ChatRequest request = CanonicalJson.readRequest(canonicalRequest);
    String modelId = CanonicalJson.providerModelId(canonicalRequest);

    UpstreamRequest encoded = ADAPTER.encode(request, new Target(PROVIDER, modelId, GeminiAdapter.BASE_URL));

    assertThat(canonical(new String(encoded.body(), StandardCharsets.UTF_8)))
        .isEqualTo(canonical(fixture.read("upstream-request.json")));
    String model = modelId.startsWith("models/") ? modelId : "models/" + modelId;
    assertThat(encoded.path())
        .isEqualTo("/" + model + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    assertThat(encoded.stream()).isEqualTo(request.stream());
    assertThat(encoded.headers()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void decodesTheUpstreamResponseAsRecorded(Fixture fixture) {
    var response =
        new UpstreamResponse(200, Map.of("content-type", "application/json"), fixture.bytes("upstream-response.json"));

    ChatResponse decoded = ADAPTER.decode(response, target());

    assertThat(canonical(CanonicalJson.write(decoded))).isEqualTo(canonical(fixture.read("canonical-response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void decodesTheRecordedStreamIntoTheExpectedEvents(Fixture fixture) {
    List<StreamEvent> events = decode(fixture.bytes("upstream.sse"));

    assertThat(render(events)).isEqualTo(expectedEvents(fixture));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void classifiesTheRecordedError(Fixture fixture) {
    int status = Integer.parseInt(fixture.read("status.txt").strip());
    Map<String, String> headers =
        fixture.has("headers.json") ? CanonicalJson.stringMap(parse(fixture.read("headers.json"))) : Map.of();
    var response = new UpstreamResponse(status, headers, fixture.bytes("error.json"));

    UpstreamError error = ADAPTER.classify(response);

    assertThat(canonical(CanonicalJson.write(error))).isEqualTo(canonical(fixture.read("expected-error.json")));
    assertThat(error.raw()).as("the raw body is kept verbatim").isEqualTo(fixture.read("error.json"));
  }

  @Test
  void everyFixtureDirectoryIsExercised() {
    List<Fixture> all = Fixtures.all(PROVIDER::equals);
    var used =
        Stream.of(encodeCases(), decodeCases(), streamCases(), errorCases())
            .flatMap(s -> s)
            .map(Fixture::toString)
            .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(25);
    assertThat(all.stream().map(Fixture::toString).filter(name -> !used.contains(name)))
        .as("fixture directories without a complete input/expected pair (a typo in a file name?)")
        .isEmpty();
  }

  static Target target() {
    return new Target(PROVIDER, "gemini-2.5-flash", GeminiAdapter.BASE_URL);
  }

  /** Frames and decodes a whole body, as the transport would deliver it in one piece. */
  static List<StreamEvent> decode(byte[] body) {
    SseReader reader = SseReader.create();
    StreamDecoder decoder = ADAPTER.newStreamDecoder(target());
    var frames = new ArrayList<Frame>(reader.feed(body));
    frames.addAll(reader.finish());
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

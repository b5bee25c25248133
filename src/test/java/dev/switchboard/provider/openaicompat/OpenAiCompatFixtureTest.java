package dev.switchboard.provider.openaicompat;

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
 * Walks the golden fixtures of every OpenAI-compatible provider ({@code fixtures/<slug>/<case>/}
 * where {@code <slug>} is a built-in profile) and checks each kind of file pair against the
 * profile's adapter. Adding a provider's fixtures needs no change here.
 */
class OpenAiCompatFixtureTest {
  private static final OpenAiCompatProfiles PROFILES = OpenAiCompatProfiles.load();

  static Stream<Fixture> encodeCases() {
    return Fixtures.having(OpenAiSamples::isOpenAiFamily, "canonical-request.json", "upstream-request.json");
  }

  static Stream<Fixture> decodeCases() {
    return Fixtures.having(OpenAiSamples::isOpenAiFamily, "upstream-response.json", "canonical-response.json");
  }

  static Stream<Fixture> streamCases() {
    return Fixtures.having(OpenAiSamples::isOpenAiFamily, "upstream.sse", "events.jsonl");
  }

  static Stream<Fixture> errorCases() {
    return Fixtures.having(OpenAiSamples::isOpenAiFamily, "error.json", "status.txt", "expected-error.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeCases")
  void encodesTheCanonicalRequestAsRecorded(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    ChatRequest request = CanonicalJson.readRequest(canonicalRequest);
    Target target =
        new Target(fixture.provider(), CanonicalJson.providerModelId(canonicalRequest), adapter.profile().baseUrl());

    UpstreamRequest encoded = adapter.encode(request, target);

    assertThat(canonical(new String(encoded.body(), StandardCharsets.UTF_8)))
        .isEqualTo(canonical(fixture.read("upstream-request.json")));
    assertThat(encoded.path()).isEqualTo("/chat/completions");
    assertThat(encoded.stream()).isEqualTo(request.stream());
    assertThat(encoded.headers()).isEqualTo(adapter.profile().headers());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void decodesTheUpstreamResponseAsRecorded(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);
    var response =
        new UpstreamResponse(200, Map.of("content-type", "application/json"), fixture.bytes("upstream-response.json"));

    ChatResponse decoded = adapter.decode(response, target(fixture, adapter));

    assertThat(canonical(CanonicalJson.write(decoded))).isEqualTo(canonical(fixture.read("canonical-response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streamCases")
  void decodesTheRecordedStreamIntoTheExpectedEvents(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);
    List<StreamEvent> events = decode(adapter, target(fixture, adapter), fixture.bytes("upstream.sse"));

    assertThat(render(events)).isEqualTo(expectedEvents(fixture));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void classifiesTheRecordedError(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);
    int status = Integer.parseInt(fixture.read("status.txt").strip());
    Map<String, String> headers =
        fixture.has("headers.json") ? CanonicalJson.stringMap(parse(fixture.read("headers.json"))) : Map.of();
    var response = new UpstreamResponse(status, headers, fixture.bytes("error.json"));

    UpstreamError error = adapter.classify(response);

    assertThat(canonical(CanonicalJson.write(error))).isEqualTo(canonical(fixture.read("expected-error.json")));
    assertThat(error.raw()).as("the raw body is kept verbatim").isEqualTo(fixture.read("error.json"));
  }

  @Test
  void everyFixtureDirectoryIsExercised() {
    List<Fixture> all = Fixtures.all(OpenAiSamples::isOpenAiFamily);
    var used =
        Stream.of(encodeCases(), decodeCases(), streamCases(), errorCases())
            .flatMap(s -> s)
            .map(Fixture::toString)
            .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(20);
    assertThat(all.stream().map(Fixture::toString).filter(name -> !used.contains(name)))
        .as("fixture directories without a complete input/expected pair (a typo in a file name?)")
        .isEmpty();
  }

  /** Frames and decodes a whole body, as the transport would deliver it in one piece. */
  static List<StreamEvent> decode(OpenAiCompatAdapter adapter, Target target, byte[] body) {
    SseReader reader = SseReader.create();
    StreamDecoder decoder = adapter.newStreamDecoder(target);
    var events = new ArrayList<StreamEvent>();
    var frames = new ArrayList<Frame>(reader.feed(body));
    frames.addAll(reader.finish());
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

  static OpenAiCompatAdapter adapter(Fixture fixture) {
    return new OpenAiCompatAdapter(PROFILES.find(fixture.provider()).orElseThrow());
  }

  static Target target(Fixture fixture, OpenAiCompatAdapter adapter) {
    return new Target(fixture.provider(), "model", adapter.profile().baseUrl());
  }
}

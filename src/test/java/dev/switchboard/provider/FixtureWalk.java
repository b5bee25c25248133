package dev.switchboard.provider;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Fixtures.Fixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden-fixture walk every adapter's {@code <X>FixtureTest} runs (STYLE.md, "Golden
 * fixtures"; the file pairs are listed in {@code fixtures/README.md}): each case directory is
 * checked against the adapter by the pairs of files it holds, and every directory must hold at
 * least one complete pair. A subclass says whose fixtures these are ({@link #fixtures()}) and adds
 * the checks that are the adapter's own (request path and headers, request rules, rejections).
 *
 * <p>One instance per class, so the case sources can ask the subclass for its fixtures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FixtureWalk {

  /** The adapter's fixtures. */
  protected abstract AdapterFixtures fixtures();

  /** How many cases there are at least; guards against a walk that silently finds too little. */
  protected abstract int minimumCases();

  /** Checks of an encoded request that are the adapter's own (path, headers, request rules). */
  protected void checkEncoded(Fixture fixture, ChatRequest request, Target target, UpstreamRequest encoded) {}

  /** Cases the subclass checks in tests of its own, so they count as exercised. */
  protected Stream<Fixture> ownCases() {
    return Stream.empty();
  }

  // The case sources have names of their own, so a subclass may still offer static encodeCases() and
  // the like to other tests (a static method cannot hide an inherited instance method).

  protected Stream<Fixture> casesWithRequests() {
    return fixtures().encodeCases();
  }

  protected Stream<Fixture> casesWithResponses() {
    return fixtures().decodeCases();
  }

  protected Stream<Fixture> casesWithStreams() {
    return fixtures().streamCases();
  }

  protected Stream<Fixture> casesWithErrors() {
    return fixtures().errorCases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesWithRequests")
  public void encodesTheCanonicalRequestAsRecorded(Fixture fixture) {
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    ChatRequest request = CanonicalJson.readRequest(canonicalRequest);
    String modelId = CanonicalJson.providerModelId(canonicalRequest);
    Target target = new Target(fixture.provider(), modelId, fixtures().targetFor(fixture).baseUrl());

    UpstreamRequest encoded = fixtures().adapterFor(fixture).encode(request, target);

    assertThat(canonical(new String(encoded.body(), StandardCharsets.UTF_8)))
        .isEqualTo(canonical(fixture.read("upstream-request.json")));
    assertThat(encoded.stream()).isEqualTo(request.stream());
    checkEncoded(fixture, request, target, encoded);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesWithResponses")
  public void decodesTheUpstreamResponseAsRecorded(Fixture fixture) {
    // headers.json, where a case has one, holds headers the decoder reads (Bedrock's request id).
    Map<String, String> headers =
        fixture.has("headers.json") ? headers(fixture) : Map.of("content-type", "application/json");
    var response = new UpstreamResponse(200, headers, fixture.bytes("upstream-response.json"));

    ChatResponse decoded = fixtures().adapterFor(fixture).decode(response, fixtures().targetFor(fixture));

    assertThat(canonical(CanonicalJson.write(decoded))).isEqualTo(canonical(fixture.read("canonical-response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesWithStreams")
  public void decodesTheRecordedStreamIntoTheExpectedEvents(Fixture fixture) {
    List<StreamEvent> events = fixtures().decodeStream(fixture);

    assertThat(render(events)).isEqualTo(expectedEvents(fixture));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("casesWithErrors")
  public void classifiesTheRecordedError(Fixture fixture) {
    int status = Integer.parseInt(fixture.read("status.txt").strip());
    Map<String, String> headers = fixture.has("headers.json") ? headers(fixture) : Map.of();
    var response = new UpstreamResponse(status, headers, fixture.bytes("error.json"));

    UpstreamError error = fixtures().adapterFor(fixture).classify(response);

    assertThat(canonical(CanonicalJson.write(error))).isEqualTo(canonical(fixture.read("expected-error.json")));
    assertThat(error.raw()).as("the raw body is kept verbatim").isEqualTo(fixture.read("error.json"));
  }

  @Test
  public void everyFixtureDirectoryIsExercised() {
    List<Fixture> all = fixtures().all();
    var used = Stream.of(casesWithRequests(), casesWithResponses(), casesWithStreams(), casesWithErrors(), ownCases())
        .flatMap(s -> s)
        .map(Fixture::toString)
        .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(minimumCases());
    assertThat(all.stream().map(Fixture::toString).filter(name -> !used.contains(name)))
        .as("fixture directories without a complete input/expected pair (a typo in a file name?)")
        .isEmpty();
  }

  private static Map<String, String> headers(Fixture fixture) {
    return CanonicalJson.stringMap(parse(fixture.read("headers.json")));
  }

  /** Events as canonical JSON lines, the form of {@code events.jsonl}. */
  static String render(List<StreamEvent> events) {
    return events.stream().map(e -> canonical(CanonicalJson.write(e))).collect(Collectors.joining("\n"));
  }

  static String expectedEvents(Fixture fixture) {
    return fixture.read("events.jsonl").lines().filter(l -> !l.isBlank()).map(CanonicalJson::canonical)
        .collect(Collectors.joining("\n"));
  }
}

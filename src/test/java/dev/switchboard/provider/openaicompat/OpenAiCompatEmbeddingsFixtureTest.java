package dev.switchboard.provider.openaicompat;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.EmbeddingJson;
import dev.switchboard.provider.Fixtures;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the embeddings fixtures of OpenAI-compatible providers ({@code
 * fixtures/<slug>-embeddings/<case>/}, {@code <slug>} a built-in profile) against the profile's
 * adapter: encode, decode, decode failures ({@code upstream-response.json} to {@code
 * expected-error.json}) and classify.
 */
class OpenAiCompatEmbeddingsFixtureTest {
  private static final String SUFFIX = "-embeddings";
  private static final OpenAiCompatProfiles PROFILES = OpenAiCompatProfiles.load();
  private static final Predicate<String> PROVIDERS =
      dir -> dir.endsWith(SUFFIX) && PROFILES.find(profileOf(dir)).isPresent();

  static Stream<Fixture> encodeCases() {
    return Fixtures.having(PROVIDERS, "canonical-request.json", "upstream-request.json");
  }

  static Stream<Fixture> decodeCases() {
    return Fixtures.having(PROVIDERS, "upstream-response.json", "canonical-response.json");
  }

  static Stream<Fixture> decodeFailureCases() {
    return Fixtures.having(PROVIDERS, "upstream-response.json", "expected-error.json");
  }

  static Stream<Fixture> errorCases() {
    return Fixtures.having(PROVIDERS, "error.json", "status.txt", "expected-error.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeCases")
  void encodesTheCanonicalRequestAsRecorded(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    EmbeddingRequest request = EmbeddingJson.readRequest(canonicalRequest);
    Target target = new Target(
        fixture.provider(), CanonicalJson.providerModelId(canonicalRequest), adapter.profile().baseUrl());

    UpstreamRequest encoded = adapter.encodeEmbeddings(request, target);

    assertThat(canonical(new String(encoded.body(), StandardCharsets.UTF_8)))
        .isEqualTo(canonical(fixture.read("upstream-request.json")));
    assertThat(encoded.path()).isEqualTo("/embeddings");
    assertThat(encoded.stream()).isFalse();
    assertThat(encoded.headers()).isEqualTo(adapter.profile().headers());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void decodesTheUpstreamResponseAsRecorded(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);

    EmbeddingResponse decoded = adapter.decodeEmbeddings(ok(fixture), target(fixture, adapter));

    assertThat(canonical(EmbeddingJson.write(decoded))).isEqualTo(canonical(fixture.read("canonical-response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeFailureCases")
  void refusesAMalformedAnswer(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);

    UpstreamException failure = catchThrowableOfType(UpstreamException.class,
        () -> adapter.decodeEmbeddings(ok(fixture), target(fixture, adapter)));

    assertThat(failure).as("decoding must fail").isNotNull();
    assertThat(canonical(CanonicalJson.write(failure.error()))).isEqualTo(canonical(fixture.read("expected-error.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void classifiesTheRecordedError(Fixture fixture) {
    OpenAiCompatAdapter adapter = adapter(fixture);
    int status = Integer.parseInt(fixture.read("status.txt").strip());
    Map<String, String> headers =
        fixture.has("headers.json") ? CanonicalJson.stringMap(parse(fixture.read("headers.json"))) : Map.of();

    UpstreamError error = adapter.classify(new UpstreamResponse(status, headers, fixture.bytes("error.json")));

    assertThat(canonical(CanonicalJson.write(error))).isEqualTo(canonical(fixture.read("expected-error.json")));
    assertThat(error.raw()).as("the raw body is kept verbatim").isEqualTo(fixture.read("error.json"));
  }

  @Test
  void everyFixtureDirectoryIsExercised() {
    List<Fixture> all = Fixtures.all(PROVIDERS);
    var used = Stream.of(encodeCases(), decodeCases(), decodeFailureCases(), errorCases())
        .flatMap(s -> s)
        .map(Fixture::toString)
        .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(9);
    assertThat(all.stream().map(Fixture::toString).filter(name -> !used.contains(name)))
        .as("fixture directories without a complete input/expected pair (a typo in a file name?)")
        .isEmpty();
  }

  private static String profileOf(String dir) {
    return dir.substring(0, dir.length() - SUFFIX.length());
  }

  private static UpstreamResponse ok(Fixture fixture) {
    return new UpstreamResponse(200, Map.of("content-type", "application/json"), fixture.bytes("upstream-response.json"));
  }

  private static OpenAiCompatAdapter adapter(Fixture fixture) {
    return new OpenAiCompatAdapter(PROFILES.find(profileOf(fixture.provider())).orElseThrow());
  }

  private static Target target(Fixture fixture, OpenAiCompatAdapter adapter) {
    return new Target(profileOf(fixture.provider()), "model", adapter.profile().baseUrl());
  }
}

package dev.switchboard.provider.gemini;

import static dev.switchboard.provider.CanonicalJson.canonical;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.EmbeddingRequest;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks {@code fixtures/gemini-embeddings/<case>/}: encode (body and {@code upstream-path.txt}),
 * decode, decode failures and classify, against {@link GeminiAdapter}'s embeddings half.
 */
class GeminiEmbeddingsFixtureTest {
  private static final String PROVIDER = "gemini-embeddings";
  private static final GeminiAdapter ADAPTER = GeminiAdapter.create();

  static Stream<Fixture> encodeCases() {
    return Fixtures.having(PROVIDER::equals, "canonical-request.json", "upstream-request.json", "upstream-path.txt");
  }

  static Stream<Fixture> decodeCases() {
    return Fixtures.having(PROVIDER::equals, "upstream-response.json", "canonical-response.json");
  }

  static Stream<Fixture> decodeFailureCases() {
    return Fixtures.having(PROVIDER::equals, "upstream-response.json", "expected-error.json");
  }

  static Stream<Fixture> errorCases() {
    return Fixtures.having(PROVIDER::equals, "error.json", "status.txt", "expected-error.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeCases")
  void encodesTheCanonicalRequestAsRecorded(Fixture fixture) {
    JsonNode canonicalRequest = parse(fixture.read("canonical-request.json"));
    EmbeddingRequest request = EmbeddingJson.readRequest(canonicalRequest);
    Target target = new Target("google", CanonicalJson.providerModelId(canonicalRequest), GeminiAdapter.BASE_URL);

    UpstreamRequest encoded = ADAPTER.encodeEmbeddings(request, target);

    assertThat(canonical(new String(encoded.body(), StandardCharsets.UTF_8)))
        .isEqualTo(canonical(fixture.read("upstream-request.json")));
    assertThat(encoded.path()).isEqualTo(fixture.read("upstream-path.txt").strip());
    assertThat(encoded.stream()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeCases")
  void decodesTheUpstreamResponseAsRecorded(Fixture fixture) {
    var decoded = ADAPTER.decodeEmbeddings(ok(fixture), target());

    assertThat(canonical(EmbeddingJson.write(decoded))).isEqualTo(canonical(fixture.read("canonical-response.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeFailureCases")
  void refusesAMalformedAnswer(Fixture fixture) {
    UpstreamException failure =
        catchThrowableOfType(UpstreamException.class, () -> ADAPTER.decodeEmbeddings(ok(fixture), target()));

    assertThat(failure).as("decoding must fail").isNotNull();
    assertThat(canonical(CanonicalJson.write(failure.error()))).isEqualTo(canonical(fixture.read("expected-error.json")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorCases")
  void classifiesTheRecordedError(Fixture fixture) {
    int status = Integer.parseInt(fixture.read("status.txt").strip());

    UpstreamError error = ADAPTER.classify(new UpstreamResponse(status, Map.of(), fixture.bytes("error.json")));

    assertThat(canonical(CanonicalJson.write(error))).isEqualTo(canonical(fixture.read("expected-error.json")));
    assertThat(error.raw()).as("the raw body is kept verbatim").isEqualTo(fixture.read("error.json"));
  }

  @Test
  void everyFixtureDirectoryIsExercised() {
    List<Fixture> all = Fixtures.all(PROVIDER::equals);
    var used = Stream.of(encodeCases(), decodeCases(), decodeFailureCases(), errorCases())
        .flatMap(s -> s)
        .map(Fixture::toString)
        .collect(Collectors.toSet());
    assertThat(all).as("fixture cases").hasSizeGreaterThanOrEqualTo(5);
    assertThat(all.stream().map(Fixture::toString).filter(name -> !used.contains(name)))
        .as("fixture directories without a complete input/expected pair (a typo in a file name?)")
        .isEmpty();
  }

  private static UpstreamResponse ok(Fixture fixture) {
    return new UpstreamResponse(200, Map.of("content-type", "application/json"), fixture.bytes("upstream-response.json"));
  }

  private static Target target() {
    return new Target("google", "gemini-embedding-001", GeminiAdapter.BASE_URL);
  }
}

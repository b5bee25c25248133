package dev.switchboard.provider.bedrock;

import java.util.List;
import dev.switchboard.provider.StreamDecoding;
import dev.switchboard.provider.Framing;
import dev.switchboard.core.StreamEvent;
import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.CanonicalJson;
import dev.switchboard.provider.FixtureWalk;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks {@code fixtures/bedrock/<case>/} ({@link FixtureWalk}). Streams are kept as readable
 * {@code upstream-events.json} entries and encoded into AWS event-stream bytes ({@link
 * BedrockEventStreams}); requests Bedrock cannot take must be refused naming the part.
 */
class BedrockFixtureTest extends FixtureWalk {
  static final BedrockAdapter ADAPTER = BedrockAdapter.create();
  static final String BASE_URL = BedrockAdapter.baseUrl("us-east-1");
  static final AdapterFixtures FIXTURES = AdapterFixtures.of("bedrock"::equals, fixture -> ADAPTER, fixture -> target())
      .withStreams("upstream-events.json", BedrockFixtureTest::body);

  @Override
  protected AdapterFixtures fixtures() {
    return FIXTURES;
  }

  @Override
  protected int minimumCases() {
    return 25;
  }

  @Override
  protected void checkEncoded(Fixture fixture, ChatRequest request, Target target, UpstreamRequest encoded) {
    assertThat(encoded.path()).isEqualTo(BedrockAdapter.path(target.providerModelId(), request.stream()));
  }

  @Override
  protected Stream<Fixture> ownCases() {
    return rejectionCases();
  }

  static Stream<Fixture> rejectionCases() {
    return FIXTURES.having("canonical-request.json", "expected-rejection.json");
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

  /** The encode cases, for the mock-compatibility test. */
  static Stream<Fixture> encodeCases() {
    return FIXTURES.encodeCases();
  }

  /** A whole event-stream body through the reader and a fresh decoder, as the transport would. */
  static List<StreamEvent> decode(byte[] body) {
    return StreamDecoding.decode(ADAPTER.newStreamDecoder(target()),
        StreamDecoding.frames(Framing.AWS_EVENT_STREAM, List.of(body)));
  }

  static Target target() {
    return new Target("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", BASE_URL);
  }

  static byte[] body(Fixture fixture) {
    return BedrockEventStreams.encode(fixture.read("upstream-events.json"));
  }
}

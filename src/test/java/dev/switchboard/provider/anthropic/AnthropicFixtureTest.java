package dev.switchboard.provider.anthropic;

import static dev.switchboard.provider.CanonicalJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.FixtureWalk;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks the golden fixtures under {@code fixtures/anthropic/<case>/} ({@link FixtureWalk}); every
 * encoded request is also checked against the rules of Anthropic's {@code CreateMessageParams}
 * ({@link AnthropicRequestRules}).
 */
class AnthropicFixtureTest extends FixtureWalk {
  static final AnthropicAdapter ADAPTER = AnthropicAdapter.create();
  static final AdapterFixtures FIXTURES =
      AdapterFixtures.of(AnthropicSamples.PROVIDER::equals, fixture -> ADAPTER, fixture -> AnthropicSamples.target());

  @Override
  protected AdapterFixtures fixtures() {
    return FIXTURES;
  }

  @Override
  protected int minimumCases() {
    return 20;
  }

  static Stream<Fixture> encodeCases() {
    return FIXTURES.encodeCases();
  }

  @Override
  protected void checkEncoded(Fixture fixture, ChatRequest request, Target target, UpstreamRequest encoded) {
    assertThat(encoded.path()).isEqualTo("/v1/messages");
    assertThat(encoded.headers()).containsExactly(Map.entry("anthropic-version", "2023-06-01"));
    String body = new String(encoded.body(), StandardCharsets.UTF_8);
    assertThat(AnthropicRequestRules.violations(parse(body))).as("CreateMessageParams rules").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeCases")
  void theRecordedUpstreamRequestsFollowAnthropicsRules(Fixture fixture) {
    // Guards the expected files themselves against drifting from what Anthropic accepts.
    assertThat(AnthropicRequestRules.violations(parse(fixture.read("upstream-request.json")))).isEmpty();
  }
}

package dev.switchboard.provider.openaicompat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.FixtureWalk;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;

/**
 * Walks the golden fixtures of every OpenAI-compatible provider ({@code fixtures/<slug>/<case>/}
 * where {@code <slug>} is a built-in profile) against the profile's adapter ({@link FixtureWalk}).
 * Adding a provider's fixtures needs no change here.
 */
class OpenAiCompatFixtureTest extends FixtureWalk {
  private static final OpenAiCompatProfiles PROFILES = OpenAiCompatProfiles.load();
  static final AdapterFixtures FIXTURES = AdapterFixtures.of(
      OpenAiSamples::isOpenAiFamily, OpenAiCompatFixtureTest::adapter, OpenAiCompatFixtureTest::target);

  @Override
  protected AdapterFixtures fixtures() {
    return FIXTURES;
  }

  @Override
  protected int minimumCases() {
    return 20;
  }

  @Override
  protected void checkEncoded(Fixture fixture, ChatRequest request, Target target, UpstreamRequest encoded) {
    assertThat(encoded.path()).isEqualTo("/chat/completions");
    assertThat(encoded.headers()).isEqualTo(adapter(fixture).profile().headers());
  }

  static OpenAiCompatAdapter adapter(Fixture fixture) {
    return new OpenAiCompatAdapter(PROFILES.find(fixture.provider()).orElseThrow());
  }

  static Target target(Fixture fixture) {
    return new Target(fixture.provider(), "model", adapter(fixture).profile().baseUrl());
  }
}

package dev.switchboard.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.ChatRequest;
import dev.switchboard.provider.AdapterFixtures;
import dev.switchboard.provider.FixtureWalk;
import dev.switchboard.provider.Fixtures.Fixture;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamRequest;
import java.util.stream.Stream;

/**
 * Walks the golden fixtures under {@code fixtures/gemini/} ({@link FixtureWalk}; see {@code
 * fixtures/README.md}) and checks each request's path too. Adding a case needs no change here.
 */
class GeminiFixtureTest extends FixtureWalk {
  static final String PROVIDER = "gemini";
  static final GeminiAdapter ADAPTER = GeminiAdapter.create();
  static final AdapterFixtures FIXTURES = AdapterFixtures.of(PROVIDER::equals, fixture -> ADAPTER, fixture -> target());

  @Override
  protected AdapterFixtures fixtures() {
    return FIXTURES;
  }

  @Override
  protected int minimumCases() {
    return 25;
  }

  static Stream<Fixture> encodeCases() {
    return FIXTURES.encodeCases();
  }

  @Override
  protected void checkEncoded(Fixture fixture, ChatRequest request, Target target, UpstreamRequest encoded) {
    String modelId = target.providerModelId();
    String model = modelId.startsWith("models/") ? modelId : "models/" + modelId;
    assertThat(encoded.path())
        .isEqualTo("/" + model + (request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    assertThat(encoded.headers()).isEmpty();
  }

  static Target target() {
    return new Target(PROVIDER, "gemini-2.5-flash", GeminiAdapter.BASE_URL);
  }
}

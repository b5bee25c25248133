package dev.switchboard.provider.openaicompat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.provider.Capability;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.Target;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adapter contract, run against the profiles whose dialect differs most from OpenAI's, plus
 * checks that hold for every built-in profile.
 */
class OpenAiCompatAdapterTest {

  /** The contract for one built-in profile. */
  abstract static class ProfileContract implements OpenAiWireContract {
    private final OpenAiCompatAdapter adapter;

    ProfileContract(String slug) {
      this.adapter = new OpenAiCompatAdapter(OpenAiCompatProfiles.load().find(slug).orElseThrow());
    }

    @Override
    public ProviderAdapter adapter() {
      return adapter;
    }

    @Override
    public Target target() {
      return new Target(adapter.profile().slug(), "some-model", adapter.profile().baseUrl());
    }
  }

  @Nested
  class Groq extends ProfileContract {
    Groq() {
      super("groq");
    }
  }

  @Nested
  class Mistral extends ProfileContract {
    Mistral() {
      super("mistral");
    }
  }

  @Nested
  class DeepSeek extends ProfileContract {
    DeepSeek() {
      super("deepseek");
    }
  }

  @Nested
  class OpenRouter extends ProfileContract {
    OpenRouter() {
      super("openrouter");
    }
  }

  static List<OpenAiCompatProfile> profiles() {
    return OpenAiCompatProfiles.load().all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void everyBuiltInProfileMakesAWorkingAdapter(OpenAiCompatProfile profile) {
    var adapter = new OpenAiCompatAdapter(profile);
    var request = OpenAiSamples.requests().get(1);

    var encoded = adapter.encode(request, new Target(profile.slug(), "m", profile.baseUrl()));

    assertThat(adapter.kind()).isEqualTo("openai-compatible");
    assertThat(adapter.profile()).isSameAs(profile);
    assertThat(encoded.path()).isEqualTo("/chat/completions");
    assertThat(encoded.headers()).doesNotContainKeys("Authorization", "authorization");
    assertThat(new String(encoded.body(), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"model\":\"m\",")
        .doesNotContain("\"provider\"");
    assertThat(adapter.capabilities()).contains(Capability.STREAM, Capability.TOOLS, Capability.VISION);
  }

  @Test
  void capabilitiesFollowWhatTheProfileDrops() {
    var profiles = OpenAiCompatProfiles.load();
    assertThat(new OpenAiCompatAdapter(profiles.find("groq").orElseThrow()).capabilities())
        .doesNotContain(Capability.LOGPROBS)
        .contains(Capability.SEED, Capability.PARALLEL_TOOLS);
    assertThat(new OpenAiCompatAdapter(profiles.find("cerebras").orElseThrow()).capabilities())
        .doesNotContain(Capability.PARALLEL_TOOLS)
        .contains(Capability.TOOLS);
    assertThat(new OpenAiCompatAdapter(profiles.find("mistral").orElseThrow()).capabilities())
        .contains(Capability.SEED)
        .doesNotContain(Capability.LOGPROBS);
  }
}

package dev.switchboard.provider.openaicompat;

import dev.switchboard.provider.Capability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.AuthStyle;
import dev.switchboard.provider.openaicompat.OpenAiCompatProfile.Quirk;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiCompatProfilesTest {
  private final OpenAiCompatProfiles profiles = OpenAiCompatProfiles.load();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "openai,     https://api.openai.com/v1,             OPENAI_API_KEY",
    "deepseek,   https://api.deepseek.com/v1,           DEEPSEEK_API_KEY",
    "xai,        https://api.x.ai/v1,                   XAI_API_KEY",
    "groq,       https://api.groq.com/openai/v1,        GROQ_API_KEY",
    "mistral,    https://api.mistral.ai/v1,             MISTRAL_API_KEY",
    "together,   https://api.together.xyz/v1,           TOGETHER_API_KEY",
    "fireworks,  https://api.fireworks.ai/inference/v1, FIREWORKS_API_KEY",
    "deepinfra,  https://api.deepinfra.com/v1/openai,   DEEPINFRA_API_KEY",
    "cerebras,   https://api.cerebras.ai/v1,            CEREBRAS_API_KEY",
    "openrouter, https://openrouter.ai/api/v1,          OPENROUTER_API_KEY",
    "vllm,       http://127.0.0.1:8000/v1,              VLLM_API_KEY",
  })
  void shipsTheBuiltInProviders(String slug, String baseUrl, String keyEnv) {
    OpenAiCompatProfile profile = profiles.find(slug).orElseThrow();
    assertThat(profile.baseUrl()).isEqualTo(baseUrl);
    assertThat(profile.apiKeyEnv()).isEqualTo(keyEnv);
    assertThat(profile.displayName()).isNotBlank();
  }

  @Test
  void listsEveryProfileOnceSortedBySlug() {
    assertThat(profiles.all())
        .extracting(OpenAiCompatProfile::slug)
        .containsExactly(
            "cerebras", "deepinfra", "deepseek", "fireworks", "groq", "mistral", "ollama", "openai", "openrouter",
            "together", "vllm", "xai");
    assertThat(profiles.find("GROQ")).contains(profiles.find("groq").orElseThrow());
    assertThat(profiles.find("nope")).isEmpty();
  }

  @Test
  void localServersNeedNoKeyAndTakeTheirUrlFromTheEnvironment() {
    OpenAiCompatProfile ollama = profiles.find("ollama").orElseThrow();
    assertThat(ollama.authStyle()).isEqualTo(new AuthStyle.None());
    assertThat(ollama.apiKeyEnv()).isNull();
    assertThat(ollama.resolveBaseUrl(Map.of("OLLAMA_BASE_URL", "http://gpu-box:11434/v1/")::get))
        .isEqualTo("http://gpu-box:11434/v1");
    assertThat(ollama.resolveBaseUrl(Map.of("OLLAMA_BASE_URL", "  ")::get)).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(ollama.resolveBaseUrl(name -> null)).isEqualTo("http://127.0.0.1:11434/v1");

    OpenAiCompatProfile vllm = profiles.find("vllm").orElseThrow();
    assertThat(vllm.authStyle()).isEqualTo(new AuthStyle.Bearer());
    assertThat(vllm.apiKeyOptional()).isTrue();
    assertThat(vllm.baseUrlEnv()).isEqualTo("VLLM_BASE_URL");
    assertThat(profiles.find("openai").orElseThrow().apiKeyOptional()).isFalse();
  }

  @Test
  void dialectDifferencesAreData() {
    OpenAiCompatProfile openai = profiles.find("openai").orElseThrow();
    assertThat(openai.wireName("max_completion_tokens")).isEqualTo("max_completion_tokens");
    assertThat(openai.quirks()).containsExactly(Quirk.NO_PREFILL);
    assertThat(new OpenAiCompatAdapter(openai).capabilities()).doesNotContain(Capability.CONTINUATION);
    assertThat(new OpenAiCompatAdapter(profiles.find("groq").orElseThrow()).capabilities())
        .contains(Capability.CONTINUATION);

    OpenAiCompatProfile groq = profiles.find("groq").orElseThrow();
    assertThat(groq.wireName("max_completion_tokens")).isEqualTo("max_tokens");
    assertThat(groq.supports("logprobs")).isFalse();
    assertThat(groq.supports("messages[].name")).isFalse();
    assertThat(groq.has(Quirk.USAGE_IN_X_GROQ)).isTrue();

    OpenAiCompatProfile mistral = profiles.find("mistral").orElseThrow();
    assertThat(mistral.wireName("seed")).isEqualTo("random_seed");
    assertThat(mistral.streamUsageOption()).isFalse();

    assertThat(profiles.find("deepseek").orElseThrow().has(Quirk.CACHE_HIT_TOKENS)).isTrue();
    assertThat(profiles.find("openrouter").orElseThrow().has(Quirk.ECHO_REASONING)).isTrue();
    assertThat(profiles.find("xai").orElseThrow().has(Quirk.DEVELOPER_AS_SYSTEM)).isTrue();
  }

  @Test
  void aGenericProfileUsesTheDefaults() {
    OpenAiCompatProfile generic = profiles.generic("my-llm", "https://llm.internal/v1/");
    assertThat(generic.slug()).isEqualTo("my-llm");
    assertThat(generic.baseUrl()).isEqualTo("https://llm.internal/v1");
    assertThat(generic.authStyle()).isEqualTo(new AuthStyle.Bearer());
    assertThat(generic.wireName("max_completion_tokens")).isEqualTo("max_tokens");
    assertThat(generic.streamUsageOption()).isTrue();
  }

  @Test
  void profilesCanBeAdjustedWithoutChangingTheOriginal() {
    OpenAiCompatProfile groq = profiles.find("groq").orElseThrow();
    OpenAiCompatProfile adjusted =
        groq.withHeaders(Map.of("X-Title", "Switchboard")).withSlug("groq-eu", "Groq EU").withBaseUrl("https://eu/v1");
    assertThat(adjusted.headers()).containsEntry("X-Title", "Switchboard");
    assertThat(adjusted.slug()).isEqualTo("groq-eu");
    assertThat(adjusted.unsupportedParams()).isEqualTo(groq.unsupportedParams());
    assertThat(groq.headers()).isEmpty();
    assertThat(groq.slug()).isEqualTo("groq");
  }

  @Test
  void parsesAnOperatorFileWithHeaderAuth() {
    var parsed =
        OpenAiCompatProfiles.parse(
            """
            defaults: {auth: bearer, stream_usage_option: true}
            profiles:
              - slug: Azure-East
                display_name: Azure East
                base_url: https://east.openai.azure.com/openai/v1
                auth: header
                auth_header: api-key
                headers: {x-ms-region: east}
            """);
    OpenAiCompatProfile azure = parsed.find("azure-east").orElseThrow();
    assertThat(azure.authStyle()).isEqualTo(new AuthStyle.Header("api-key"));
    assertThat(azure.headers()).containsExactly(Map.entry("x-ms-region", "east"));
    assertThat(azure.paramRenames()).isEmpty();
  }

  @Test
  void rejectsMistakesWithPreciseMessages() {
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: [{slug: a, display_name: A, base_url: u, quirk: []}]"))
        .hasMessage("openai-compatible profile 'a': unknown field 'quirk'");
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: [{slug: a, display_name: A, base_url: u, quirks: [fast]}]"))
        .hasMessage("openai-compatible profile 'a': unknown quirk 'fast'");
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: [{slug: a, display_name: A}]"))
        .hasMessage("openai-compatible profile 'a': 'base_url' is required");
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: [{slug: a, display_name: A, base_url: u, auth: header}]"))
        .hasMessage("openai-compatible profile 'a': 'auth_header' is required");
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: [{slug: a, display_name: A, base_url: u, auth: basic}]"))
        .hasMessageContaining("auth must be bearer, header or none");
    assertThatThrownBy(
            () -> OpenAiCompatProfiles.parse(
                "profiles: [{slug: a, display_name: A, base_url: u}, {slug: A, display_name: B, base_url: v}]"))
        .hasMessage("openai-compatible profile 'a' is defined twice");
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: {slug: a}"))
        .hasMessageContaining("'profiles' must be a list");
    assertThatThrownBy(() -> OpenAiCompatProfiles.parse("profiles: [oops"))
        .hasMessageStartingWith("openai-compatible profiles are not valid YAML");
  }
}

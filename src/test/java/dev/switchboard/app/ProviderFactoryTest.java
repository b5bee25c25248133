package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.ConfigException;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.transport.UpstreamAuth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderFactoryTest {

  private static Map<String, ProviderConfig> providers(String yaml, Map<String, String> env) {
    return new ConfigLoader(ProviderFactory.KINDS, env).parse("test.yaml", yaml).providers();
  }

  private static ConfiguredProvider only(String yaml, Map<String, String> env) {
    var created = new ProviderFactory(env).fromConfig(providers(yaml, env));
    assertThat(created).hasSize(1);
    return created.getFirst();
  }

  @Test
  void environmentKeysSwitchOnTheirProvidersUnderTheCatalogsSlugs() {
    var env = Map.of("OPENAI_API_KEY", "sk-o", "ANTHROPIC_API_KEY", "sk-a", "GEMINI_API_KEY", "g",
        "GROQ_API_KEY", "gq", "AWS_REGION", "us-east-1", "AWS_BEARER_TOKEN_BEDROCK", "b",
        "AZURE_OPENAI_API_KEY", "az", "AZURE_OPENAI_ENDPOINT", "https://acme.openai.azure.com");
    var slugs = new ProviderFactory(env).fromEnvironment().stream().map(ConfiguredProvider::slug).toList();

    assertThat(slugs).containsExactlyInAnyOrder("openai", "anthropic", "google", "groq", "bedrock", "azure");
  }

  @Test
  void noEnvironmentNoProviders() {
    assertThat(new ProviderFactory(Map.of()).fromEnvironment()).isEmpty();
  }

  @Test
  void anthropicTakesItsKeyInXApiKey() {
    var provider = only("providers:\n  claude:\n    kind: anthropic\n    api_key: sk-ant\n", Map.of());

    assertThat(provider.adapter().kind()).isEqualTo("anthropic");
    assertThat(provider.baseUrl()).isEqualTo("https://api.anthropic.com");
    assertThat(provider.auth()).isInstanceOf(UpstreamAuth.Header.class);
    assertThat(((UpstreamAuth.Header) provider.auth()).name()).isEqualTo("x-api-key");
  }

  @Test
  void geminiReadsItsKeyFromTheEnvironmentAndHonoursBaseUrl() {
    var provider = only("providers:\n  google:\n    kind: gemini\n    base_url: http://127.0.0.1:9/v1beta\n",
        Map.of("GEMINI_API_KEY", "g"));

    assertThat(provider.baseUrl()).isEqualTo("http://127.0.0.1:9/v1beta");
    assertThat(((UpstreamAuth.Header) provider.auth()).name()).isEqualTo("x-goog-api-key");
  }

  @Test
  void bedrockSignsWithConfiguredCredentialsInTheRegionsEndpoint() {
    var provider = only("""
        providers:
          aws:
            kind: bedrock
            region: eu-west-1
            aws_access_key_id: AKIDEXAMPLE
            aws_secret_access_key: secret
        """, Map.of());

    assertThat(provider.baseUrl()).isEqualTo("https://bedrock-runtime.eu-west-1.amazonaws.com");
    assertThat(provider.auth()).isInstanceOf(UpstreamAuth.SigV4.class);
  }

  @Test
  void bedrockWithoutRegionOrCredentialsSaysWhatIsMissing() {
    assertThatThrownBy(() -> only("providers:\n  aws:\n    kind: bedrock\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("region is required");
    assertThatThrownBy(() -> only("providers:\n  aws:\n    kind: bedrock\n    region: us-east-1\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bedrock needs credentials");
  }

  @Test
  void azureNeedsItsResourceEndpointAndSendsApiKey() {
    assertThatThrownBy(() -> only("providers:\n  azure:\n    kind: azure-openai\n    api_key: k\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("base_url is required for azure-openai");

    var provider = only("""
        providers:
          azure:
            kind: azure-openai
            base_url: https://acme.openai.azure.com
            api_key: k
            api_version: 2025-01-01-preview
        """, Map.of());
    assertThat(((UpstreamAuth.Header) provider.auth()).name()).isEqualTo("api-key");
    assertThat(provider.adapter().kind()).isEqualTo("azure-openai");
  }

  @Test
  void compatibleProviderWithoutProfileNeedsABaseUrl() {
    assertThatThrownBy(() -> only("providers:\n  local:\n    kind: openai-compatible\n", Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("base_url is required");
    var local = only("providers:\n  local:\n    kind: openai-compatible\n    base_url: http://127.0.0.1:8000/v1\n",
        Map.of());
    assertThat(local.auth()).isInstanceOf(UpstreamAuth.None.class);
  }

  @Test
  void operatorHeadersTravelWithTheProvider() {
    var provider = only("providers:\n  claude:\n    kind: anthropic\n    api_key: k\n"
        + "    headers: { anthropic-beta: prompt-caching-2024-07-31 }\n", Map.of());
    assertThat(provider.headers()).containsEntry("anthropic-beta", "prompt-caching-2024-07-31");
  }

  @Test
  void http2IsOffUnlessAProviderAsksAndItsTargetsCarryIt() {
    var plain = only("providers:\n  local:\n    kind: openai-compatible\n    base_url: http://127.0.0.1:8000/v1\n",
        Map.of());
    var h2 = only("providers:\n  local:\n    kind: openai-compatible\n    base_url: http://127.0.0.1:8000/v1\n"
        + "    http2: true\n", Map.of());
    var nativeH2 = only("providers:\n  claude:\n    kind: anthropic\n    api_key: k\n    http2: true\n", Map.of());

    assertThat(plain.target("m").http2()).isFalse();
    assertThat(h2.target("m").http2()).isTrue();
    assertThat(nativeH2.target("claude-sonnet-4-5").http2()).isTrue();
  }
}

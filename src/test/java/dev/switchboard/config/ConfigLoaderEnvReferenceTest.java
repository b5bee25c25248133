package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code ${VAR}} references wherever YAML allows a scalar, flow mappings included. */
class ConfigLoaderEnvReferenceTest {
  static final Set<String> KINDS = Set.of("openai-compatible");

  @Test
  void referenceInsideAFlowMappingParses() {
    // The documented provider shape: an unquoted ${VAR} between flow-mapping braces.
    String yaml = """
        server: { host: 127.0.0.1, port: 18100 }
        providers:
          mock: { kind: openai-compatible, base_url: http://127.0.0.1:18080/v1, api_key: ${MOCK_KEY} }
        """;

    GatewayConfig config = new ConfigLoader(KINDS, Map.of("MOCK_KEY", "sk-secret")).parse("t.yaml", yaml);

    assertThat(config.providers().get("mock").apiKey().reveal()).isEqualTo("sk-secret");
    assertThat(config.providers().get("mock").baseUrl()).isEqualTo("http://127.0.0.1:18080/v1");
  }

  @Test
  void referencesInsideStringsDefaultsAndBlockValuesStillInterpolate() {
    String yaml = """
        server: { host: "${HOST:-0.0.0.0}", port: ${PORT} }
        providers:
          local: { kind: openai-compatible, base_url: "http://${HOST}:${UPSTREAM_PORT:-8000}/v1" }
          other:
            kind: openai-compatible
            base_url: http://example.test/v1
            api_key: pre-${KEY}-post
        """;

    GatewayConfig config = new ConfigLoader(KINDS, Map.of("PORT", "18100", "HOST", "10.0.0.5", "KEY", "k"))
        .parse("t.yaml", yaml);

    assertThat(config.server().host()).isEqualTo("10.0.0.5");
    assertThat(config.server().port()).isEqualTo(18100);
    assertThat(config.providers().get("local").baseUrl()).isEqualTo("http://10.0.0.5:8000/v1");
    assertThat(config.providers().get("other").apiKey().reveal()).isEqualTo("pre-k-post");
  }

  @Test
  void errorsStillNameTheRightLine() {
    String yaml = """
        providers:
          mock: { kind: openai-compatible, base_url: http://h/v1, api_key: ${K} }
        server: { port: ${PORT} }
        """;

    assertThatThrownBy(() -> new ConfigLoader(KINDS, Map.of("PORT", "eighty")).parse("t.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("t.yaml:3")
        .hasMessageContaining("'eighty'");
  }
}

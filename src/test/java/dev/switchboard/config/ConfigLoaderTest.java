package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Set<String> KINDS = Set.of("openai", "openai-compatible");

  /** The shape of the contract's example config; line numbers below refer to it. */
  private static final String CONTRACT =
      """
      server:
        host: 127.0.0.1
        port: 18100
      storage:
        url: sqlite:/some/dir/switchboard.db
      providers:
        mock:
          kind: openai-compatible
          base_url: http://127.0.0.1:18080/v1
          api_key: ${MOCK_KEY}
      models:
        - id: mock/mock-model
          name: Mock Model
          context_length: 32768
          endpoints:
            - provider: mock
              model: mock-model
              pricing: { prompt: "0.000001", completion: "0.000002" }
      """;

  @Test
  void contractShapeParsesToRecordsWithDefaultsFilledIn() {
    ConfigLoader loader = new ConfigLoader(KINDS, Map.of("MOCK_KEY", "sk-mock-123"));
    GatewayConfig config = loader.parse("sb.yaml", CONTRACT);

    assertThat(config.source()).isEqualTo("sb.yaml");
    assertThat(config.server())
        .isEqualTo(new ServerConfig("127.0.0.1", 18100, ServerConfig.DEFAULT_MAX_BODY_BYTES,
            ServerConfig.DEFAULT_INSTANCES, true));
    assertThat(config.server().instances()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(config.storage().isSqlite()).isTrue();
    assertThat(config.storage().sqlitePath()).isEqualTo("/some/dir/switchboard.db");

    assertThat(config.providers()).containsOnlyKeys("mock");
    ProviderConfig mock = config.providers().get("mock");
    assertThat(mock.slug()).isEqualTo("mock");
    assertThat(mock.kind()).isEqualTo("openai-compatible");
    assertThat(mock.profile()).isNull();
    assertThat(mock.baseUrl()).isEqualTo("http://127.0.0.1:18080/v1");
    assertThat(mock.apiKey()).isEqualTo(Secret.of("sk-mock-123"));
    assertThat(mock.headers()).isEmpty();
    assertThat(mock.enabled()).isTrue();
    assertThat(mock.timeouts())
        .isEqualTo(new TimeoutConfig(Duration.ofSeconds(10), Duration.ofSeconds(300), Duration.ofSeconds(120)));

    assertThat(config.models()).hasSize(1);
    ModelConfig model = config.models().getFirst();
    assertThat(model.id()).isEqualTo("mock/mock-model");
    assertThat(model.name()).isEqualTo("Mock Model");
    assertThat(model.description()).isNull();
    assertThat(model.contextLength()).isEqualTo(32768);
    assertThat(model.aliases()).isEmpty();
    assertThat(model.disabled()).isFalse();
    assertThat(model.outputModalities()).isNull();
    assertThat(model.endpoints()).hasSize(1);
    EndpointConfig endpoint = model.endpoints().getFirst();
    assertThat(endpoint.provider()).isEqualTo("mock");
    assertThat(endpoint.model()).isEqualTo("mock-model");
    assertThat(endpoint.contextLength()).isNull();
    assertThat(endpoint.maxCompletionTokens()).isNull();
    assertThat(endpoint.supportedParameters()).isNull();
    assertThat(endpoint.disabled()).isFalse();
    assertThat(endpoint.pricing()).isNotNull();
    assertThat(endpoint.pricing().prompt()).isEqualByComparingTo("0.000001");
    assertThat(endpoint.pricing().completion()).isEqualByComparingTo("0.000002");
    assertThat(endpoint.pricing().cacheRead()).isNull();
    assertThat(endpoint.pricing().cacheWrite()).isNull();
    assertThat(endpoint.pricing().reasoning()).isNull();
    assertThat(endpoint.pricing().request()).isNull();
    assertThat(endpoint.pricing().image()).isNull();

    assertThat(config.catalog()).isTrue();
    assertThat(config.logging()).isEqualTo(LoggingConfig.DEFAULTS);
    assertThat(config.accounting()).isEqualTo(AccountingConfig.DEFAULTS);
    assertThat(config.accounting().requireCredits()).isFalse();
    assertThat(loader.warnings()).isEmpty();
  }

  @Test
  void noFileMeansDefaults() {
    GatewayConfig config = new ConfigLoader(KINDS, Map.of()).load(null);
    assertThat(config.server()).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.storage().url()).isEqualTo("sqlite:./data/switchboard.db");
    assertThat(config.providers()).isEmpty();
    assertThat(config.models()).isEmpty();
    assertThat(config.source()).isNull();
  }

  @Test
  void emptyFileMeansDefaultsWithItsName() {
    GatewayConfig config = new ConfigLoader(KINDS, Map.of()).parse("empty.yaml", "# nothing yet\n");
    assertThat(config.server()).isEqualTo(ServerConfig.DEFAULTS);
    assertThat(config.source()).isEqualTo("empty.yaml");
  }

  @Test
  void loadsAFileAndNamesAMissingOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sb.yaml");
    Files.writeString(file, CONTRACT);
    ConfigLoader loader = new ConfigLoader(KINDS, Map.of("MOCK_KEY", "k"));
    assertThat(loader.load(file).source()).isEqualTo(file.toString());

    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void fullySpecifiedSectionsOverrideEveryDefault() {
    String yaml =
        """
        server: { host: 0.0.0.0, port: 0, max_body_size: 512KiB, instances: 3, timing_header: false }
        providers:
          local:
            kind: openai
            profile: groq
            headers: { x-team: blue }
            timeouts: { connect: 500ms, first_byte: 2m, idle: 1h }
            enabled: false
        catalog: { bundled: no }
        logging: { level: debug, requests: off, bodies: true }
        accounting: { require_credits: true }
        models:
          - id: acme/x
            aliases: [x, acme-x]
            disabled: true
            output_modalities: [embeddings]
            endpoints:
              - provider: local
                supported_parameters: [tools, temperature]
                context_length: 1000
                max_completion_tokens: 100
                disabled: yes
                pricing: { prompt: 0.5, completion: 1, cache_read: "0.1", cache_write: "0.2",
                           reasoning: "0.3", request: "0.4", image: "0.6" }
        """;
    GatewayConfig config = new ConfigLoader(KINDS, Map.of()).parse("full.yaml", yaml);
    assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 0, 512 * 1024, 3, false));
    ProviderConfig local = config.providers().get("local");
    assertThat(local.profile()).isEqualTo("groq");
    assertThat(local.apiKey()).isNull();
    assertThat(local.headers()).isEqualTo(Map.of("x-team", "blue"));
    assertThat(local.timeouts())
        .isEqualTo(new TimeoutConfig(Duration.ofMillis(500), Duration.ofMinutes(2), Duration.ofHours(1)));
    assertThat(local.enabled()).isFalse();
    assertThat(config.catalog()).isFalse();
    assertThat(config.logging()).isEqualTo(new LoggingConfig("debug", false, true));
    assertThat(config.accounting()).isEqualTo(new AccountingConfig(true));
    ModelConfig model = config.models().getFirst();
    assertThat(model.aliases()).containsExactly("x", "acme-x");
    assertThat(model.disabled()).isTrue();
    assertThat(model.outputModalities()).containsExactly("embeddings");
    EndpointConfig endpoint = model.endpoints().getFirst();
    assertThat(endpoint.model()).isNull();
    assertThat(endpoint.supportedParameters()).containsExactly("tools", "temperature");
    assertThat(endpoint.contextLength()).isEqualTo(1000);
    assertThat(endpoint.maxCompletionTokens()).isEqualTo(100);
    assertThat(endpoint.disabled()).isTrue();
    var pricing = endpoint.pricing();
    assertThat(pricing.prompt()).isEqualByComparingTo("0.5");
    assertThat(pricing.completion()).isEqualByComparingTo("1");
    assertThat(pricing.cacheRead()).isEqualByComparingTo("0.1");
    assertThat(pricing.cacheWrite()).isEqualByComparingTo("0.2");
    assertThat(pricing.reasoning()).isEqualByComparingTo("0.3");
    assertThat(pricing.request()).isEqualByComparingTo("0.4");
    assertThat(pricing.image()).isEqualByComparingTo("0.6");
  }

  // ---- ${VAR} interpolation ----

  @Test
  void unsetVariableBecomesEmptyWithAWarningNamingFileAndLine() {
    ConfigLoader loader = new ConfigLoader(KINDS, Map.of());
    GatewayConfig config = loader.parse("sb.yaml", CONTRACT);
    assertThat(config.providers().get("mock").apiKey()).isNull();
    assertThat(loader.warnings())
        .containsExactly("sb.yaml:10: environment variable MOCK_KEY is not set; using an empty value");
  }

  @Test
  void defaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
    String yaml = CONTRACT.replace("port: 18100", "port: ${PORT:-18200}");
    assertThat(parse(yaml, Map.of("MOCK_KEY", "k")).server().port()).isEqualTo(18200);
    // Shell and docker-compose semantics: ':-' also replaces a variable that is set but empty.
    assertThat(parse(yaml, Map.of("MOCK_KEY", "k", "PORT", "")).server().port()).isEqualTo(18200);
    assertThat(parse(yaml, Map.of("MOCK_KEY", "k", "PORT", "18300")).server().port()).isEqualTo(18300);
  }

  @Test
  void interpolatesInsideLongerStringsAndKeepsSpecialCharactersLiteral() {
    String yaml = CONTRACT.replace("http://127.0.0.1:18080/v1", "http://${HOST:-localhost}:${MOCK_PORT}/v1");
    ConfigLoader loader = new ConfigLoader(KINDS, Map.of("MOCK_PORT", "9", "MOCK_KEY", "a$1\\b}"));
    GatewayConfig config = loader.parse("sb.yaml", yaml);
    assertThat(config.providers().get("mock").baseUrl()).isEqualTo("http://localhost:9/v1");
    assertThat(config.providers().get("mock").apiKey().reveal()).isEqualTo("a$1\\b}");
    assertThat(loader.warnings()).isEmpty();
  }

  @Test
  void warningNamesTheLineOfAnInterpolatedListElement() {
    String yaml = CONTRACT.replace("      model: mock-model",
        "      model: mock-model\n        supported_parameters: [tools, \"${EXTRA}\"]");
    ConfigLoader loader = new ConfigLoader(KINDS, Map.of("MOCK_KEY", "k"));
    GatewayConfig config = loader.parse("sb.yaml", yaml);
    assertThat(config.models().getFirst().endpoints().getFirst().supportedParameters()).containsExactly("tools", "");
    assertThat(loader.warnings())
        .containsExactly("sb.yaml:18: environment variable EXTRA is not set; using an empty value");
  }

  @Test
  void headerFromAnUnsetVariableIsAnErrorAtItsLine() {
    String yaml =
        """
        providers:
          p:
            kind: openai
            headers:
              x-a: ok
              x-token: ${TOKEN}
        """;
    ConfigLoader loader = new ConfigLoader(KINDS, Map.of());
    assertThatThrownBy(() -> loader.parse("h.yaml", yaml))
        .hasMessage("h.yaml:6: 'x-token' is required (at providers.p.headers.x-token)");
    assertThat(loader.warnings())
        .containsExactly("h.yaml:6: environment variable TOKEN is not set; using an empty value");
  }

  @Test
  void anchorsAndAliasesAreResolvedNotReadAsStrings() {
    String yaml = CONTRACT.replace("pricing: {", "pricing: &cheap {")
        + "  - id: mock/other\n    endpoints:\n      - provider: mock\n        pricing: *cheap\n";
    GatewayConfig config = parse(yaml, Map.of("MOCK_KEY", "k"));
    assertThat(config.models().get(1).endpoints().getFirst().pricing())
        .isEqualTo(config.models().get(0).endpoints().getFirst().pricing());
    assertError(CONTRACT + "catalog: *nothing\n").hasMessageStartingWith("sb.yaml:19: unknown YAML alias '*nothing'");
  }

  @Test
  void accountingTakesTheByokFeeTheNodeLeaseAndTheMasterKeyFile() {
    GatewayConfig config = new ConfigLoader(KINDS, Map.of()).parse("sb.yaml", CONTRACT
        + "accounting: { byok_fee: \"0.05\", node_lease: 45s }\nsecrets: { master_key_file: /etc/sb/master.key }\n");

    assertThat(config.accounting()).isEqualTo(new AccountingConfig(false, new java.math.BigDecimal("0.05"),
        Duration.ofSeconds(45), "/etc/sb/master.key"));
    assertThat(new ConfigLoader(KINDS, Map.of()).parse("sb.yaml", CONTRACT).accounting())
        .isEqualTo(AccountingConfig.DEFAULTS);
    assertThat(AccountingConfig.DEFAULTS.byokFee()).isZero();
    assertThat(AccountingConfig.DEFAULTS.nodeLease()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aByokFeeOutsideZeroToOneAndUnknownSecretsAreRefused() {
    assertError(CONTRACT + "accounting: { byok_fee: \"5\" }\n")
        .hasMessageContaining("byok_fee is the share of the price charged for BYOK requests, from 0 to 1");
    assertError(CONTRACT + "accounting: { node_lease: 10ms }\n").hasMessageContaining("node_lease must be at least 300ms");
    assertError(CONTRACT + "secrets: { master_key: abc }\n").hasMessageContaining("unknown setting 'master_key'");
  }

  // ---- every error names FILE:LINE and what is wrong ----

  @Test
  void unknownTopLevelKey() {
    assertError(CONTRACT.replace("providers:", "provders:"))
        .hasMessageStartingWith("sb.yaml:6: unknown setting 'provders'")
        .hasMessageContaining(
            "expected one of [accounting, catalog, limits, logging, models, presets, providers, redis, routing,"
                + " secrets, server, storage]");
  }

  @Test
  void accountingTakesOnlyABooleanRequireCredits() {
    assertError(CONTRACT + "accounting: { require_credit: true }\n")
        .hasMessageStartingWith("sb.yaml:19: unknown setting 'require_credit'");
    assertError(CONTRACT + "accounting: { require_credits: 5 }\n")
        .hasMessageContaining("require_credits");
  }

  @Test
  void unknownNestedKey() {
    assertError(CONTRACT.replace("  host: 127.0.0.1", "  hots: 127.0.0.1"))
        .hasMessageStartingWith("sb.yaml:2: unknown setting 'hots'")
        .hasMessageContaining("(at server.hots)");
    assertError(CONTRACT.replace("      model: mock-model", "      modle: mock-model"))
        .hasMessageStartingWith("sb.yaml:17: unknown setting 'modle'")
        .hasMessageContaining("(at models.0.endpoints.0.modle)");
    assertError(CONTRACT.replace("completion: \"0.000002\"", "completoin: \"0.000002\""))
        .hasMessageStartingWith("sb.yaml:18: unknown setting 'completoin'");
  }

  @Test
  void wrongTypes() {
    assertError(CONTRACT.replace("port: 18100", "port: \"abc\""))
        .hasMessage("sb.yaml:3: 'port' must be a whole number, not 'abc' (at server.port)");
    assertError(CONTRACT.replace("context_length: 32768", "context_length: [1]"))
        .hasMessageStartingWith("sb.yaml:14: 'context_length' must be a single value, not a list");
    assertError(CONTRACT.replace("storage:\n  url: sqlite:/some/dir/switchboard.db", "storage: sqlite:x\n#"))
        .hasMessageStartingWith("sb.yaml:4: 'storage' must be a mapping, not 'sqlite:x'");
    assertError(CONTRACT.replace("  - id: mock/mock-model", "  - mock/mock-model\n  - id: x/y"))
        .hasMessageStartingWith("sb.yaml:12: each entry of 'models' must be a mapping");
    assertError("models:\n  id: a/b\n")
        .hasMessageStartingWith("sb.yaml:1: 'models' must be a list, not a mapping");
    assertError("providers:\n  mock: openai\n")
        .hasMessageStartingWith("sb.yaml:2: 'mock' must be a mapping, not 'openai'");
    assertError("- server\n").hasMessageStartingWith("sb.yaml:1: the file must be a YAML mapping");
    assertError(CONTRACT.replace("    kind: openai-compatible", "    kind: openai-compatible\n    http2: h2c"))
        .hasMessageContaining("http2");
    assertError(CONTRACT.replace("    kind: openai-compatible", "    kind: openai-compatible\n    enabled: maybe"))
        .hasMessageStartingWith("sb.yaml:9: 'enabled' must be true or false, not 'maybe'");
  }

  @Test
  void portOutOfRange() {
    assertError(CONTRACT.replace("port: 18100", "port: 70000"))
        .hasMessage("sb.yaml:3: 'port' must be between 0 and 65535, not 70000 (at server.port)");
    assertError(CONTRACT.replace("port: 18100", "port: -1"))
        .hasMessageStartingWith("sb.yaml:3: 'port' must be between 0 and 65535, not -1");
    assertError(CONTRACT.replace("port: 18100", "port: 99999999999"))
        .hasMessageStartingWith("sb.yaml:3: 'port' must be");
  }

  @Test
  void unknownProviderKind() {
    assertError(CONTRACT.replace("kind: openai-compatible", "kind: anthropic"))
        .hasMessage("sb.yaml:8: unknown provider kind 'anthropic'; expected one of [openai, openai-compatible]"
            + " (at providers.mock.kind)");
    assertError(CONTRACT.replace("    kind: openai-compatible\n", ""))
        .hasMessageStartingWith("sb.yaml:7: 'kind' is required");
  }

  @Test
  void badProviderName() {
    assertError(CONTRACT.replace("  mock:", "  Mock:"))
        .hasMessageStartingWith("sb.yaml:7: provider name 'Mock' must be lower-case");
    assertError(CONTRACT.replace("  mock:", "  my/mock:"))
        .hasMessageStartingWith("sb.yaml:7: provider name 'my/mock' must be lower-case")
        .hasMessageEndingWith("(at providers.my/mock)");
  }

  @Test
  void badBaseUrl() {
    assertError(CONTRACT.replace("http://127.0.0.1:18080/v1", "127.0.0.1:18080/v1"))
        .hasMessage("sb.yaml:9: base_url must be an http:// or https:// URL, not '127.0.0.1:18080/v1'"
            + " (at providers.mock.base_url)");
    assertError(CONTRACT.replace("http://127.0.0.1:18080/v1", "ftp://host/v1"))
        .hasMessageStartingWith("sb.yaml:9: base_url must be an http:// or https:// URL");
  }

  @Test
  void invalidYamlSyntaxNamesTheLineOfTheProblem() {
    assertError(CONTRACT.replace("host: 127.0.0.1", "host: [127.0.0.1"))
        .hasMessageStartingWith("sb.yaml:3: not valid YAML: ")
        .hasMessageContaining("expected ',' or ']'");
    assertError(CONTRACT.replace("  port: 18100", " port: 18100"))
        .hasMessageStartingWith("sb.yaml:3: not valid YAML: ");
    // A tab used for indentation: Jackson's own location says line 1, the problem is on line 2.
    assertError(CONTRACT.replace("  host: 127.0.0.1", "\thost: 127.0.0.1"))
        .hasMessageStartingWith("sb.yaml:2: not valid YAML: ")
        .hasMessageContaining("TAB");
  }

  @Test
  void duplicateKeysAreErrorsNotSilentOverrides() {
    assertError(CONTRACT + "server:\n  port: 1\n")
        .hasMessageStartingWith("sb.yaml:19: duplicate key 'server' (first on line 1)");
    assertError(CONTRACT.replace("    kind: openai-compatible", "    kind: openai-compatible\n    kind: openai"))
        .hasMessageStartingWith("sb.yaml:9: duplicate key 'kind' (first on line 8)");
  }

  @Test
  void aSecondYamlDocumentIsAnError() {
    assertError("server: {port: 1}\n---\nserver: {port: 2}\n")
        .hasMessageStartingWith("sb.yaml:3: ")
        .hasMessageContaining("one YAML document");
  }

  @Test
  void modelIdWithoutSlash() {
    assertError(CONTRACT.replace("id: mock/mock-model", "id: mock-model"))
        .hasMessage("sb.yaml:12: model id 'mock-model' must have the form author/slug, for example acme/my-model"
            + " (at models.0.id)");
    assertError(CONTRACT.replace("  - id: mock/mock-model\n", "  - description: x\n"))
        .hasMessageStartingWith("sb.yaml:12: 'id' is required");
  }

  @Test
  void badDurations() {
    String timeouts = "    kind: openai-compatible\n    timeouts:\n      connect: %s";
    assertError(CONTRACT.replace("    kind: openai-compatible", timeouts.formatted("10 parsecs")))
        .hasMessage("sb.yaml:10: 'connect' must be a duration such as 500ms, 10s, 2m or 1h, not '10 parsecs'"
            + " (at providers.mock.timeouts.connect)");
    // A bare number would silently mean milliseconds: "connect: 10" is far more likely meant as 10s.
    assertError(CONTRACT.replace("    kind: openai-compatible", timeouts.formatted("10")))
        .hasMessageStartingWith("sb.yaml:10: 'connect' must be a duration such as 500ms");
    assertError(CONTRACT.replace("    kind: openai-compatible", timeouts.formatted("99999999999999999999s")))
        .hasMessageStartingWith("sb.yaml:10: 'connect' ");
    assertError(CONTRACT.replace("    kind: openai-compatible", timeouts.formatted("9999999999999999h")))
        .hasMessageStartingWith("sb.yaml:10: 'connect' ");
  }

  @Test
  void badSizes() {
    assertError(CONTRACT.replace("port: 18100", "max_body_size: 12 parsecs"))
        .hasMessageStartingWith("sb.yaml:3: 'max_body_size' must be a size such as");
    assertError(CONTRACT.replace("port: 18100", "max_body_size: 99999999999999999999"))
        .hasMessageStartingWith("sb.yaml:3: 'max_body_size' ");
    assertError(CONTRACT.replace("port: 18100", "max_body_size: 99999999999GiB"))
        .hasMessageStartingWith("sb.yaml:3: 'max_body_size' ");
  }

  @Test
  void negativePriceIsRejectedByPricingAndLocated() {
    assertError(CONTRACT.replace("prompt: \"0.000001\"", "prompt: \"-0.000001\""))
        .hasMessageStartingWith("sb.yaml:18: price 'prompt' must not be negative, was -0.000001")
        .hasMessageContaining("(at models.0.endpoints.0.pricing)");
    assertError(CONTRACT.replace("prompt: \"0.000001\"", "prompt: \"cheap\""))
        .hasMessageStartingWith("sb.yaml:18: 'prompt' must be a decimal number");
  }

  @Test
  void postgresStorageUrlsAreAccepted() {
    GatewayConfig config = parse(CONTRACT.replace("sqlite:/some/dir/switchboard.db",
        "postgresql://sb:${DB_PASSWORD}@db.internal:5433/switchboard?sslmode=require"),
        Map.of("MOCK_KEY", "k", "DB_PASSWORD", "hunter2"));

    assertThat(config.storage().isPostgres()).isTrue();
    assertThat(config.storage().url())
        .isEqualTo("postgresql://sb:hunter2@db.internal:5433/switchboard?sslmode=require");
    assertThat(config.storage().toString()).doesNotContain("hunter2");
    assertThat(parse(CONTRACT.replace("sqlite:/some/dir/switchboard.db", "postgres://db/sb"), Map.of("MOCK_KEY", "k"))
        .storage().isPostgres()).isTrue();
  }

  @Test
  void malformedPostgresUrlsAreLocatedAndDoNotEchoThePassword() {
    assertError(CONTRACT.replace("sqlite:/some/dir/switchboard.db", "postgresql://sb:hunter2@db:54x32/sb"))
        .hasMessageStartingWith("sb.yaml:5: PostgreSQL port '54x32' of host db must be a number")
        .hasMessageEndingWith("(at storage.url)")
        .hasMessageNotContaining("hunter2");
    assertError(CONTRACT.replace("sqlite:/some/dir/switchboard.db", "postgresql://sb:hunter2@db"))
        .hasMessageStartingWith("sb.yaml:5: the PostgreSQL url must name one database")
        .hasMessageNotContaining("hunter2");
    assertError(CONTRACT.replace("sqlite:/some/dir/switchboard.db", "mysql://u:hunter2@db"))
        .hasMessageStartingWith("sb.yaml:5: storage url must start with sqlite:")
        .hasMessageContaining("'mysql://u:***@db'")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void badLoggingLevel() {
    assertError(CONTRACT + "logging:\n  level: verbose\n")
        .hasMessageStartingWith("sb.yaml:20: logging level must be one of debug, info, warn, error");
  }

  // ---- secrets ----

  @Test
  void secretToStringNeverContainsTheValue() {
    Secret secret = Secret.of("sk-live-very-secret");
    assertThat(secret.toString()).doesNotContain("sk-live").doesNotContain("secret");
    assertThat(String.valueOf(List.of(secret))).doesNotContain("sk-live");
    assertThat(secret.reveal()).isEqualTo("sk-live-very-secret");
  }

  @Test
  void configToStringDoesNotLeakCredentials() {
    String yaml = CONTRACT.replace("    kind: openai-compatible",
        "    kind: openai-compatible\n    headers: { Authorization: \"Bearer ${HDR}\", x-team: blue }");
    GatewayConfig config =
        new ConfigLoader(KINDS, Map.of("MOCK_KEY", "sk-live-abc123", "HDR", "hdr-token-xyz")).parse("sb.yaml", yaml);
    assertThat(config.providers().get("mock").apiKey().reveal()).isEqualTo("sk-live-abc123");
    assertThat(config.providers().get("mock").headers()).containsEntry("Authorization", "Bearer hdr-token-xyz");
    assertThat(config.toString())
        .contains("mock")
        .doesNotContain("sk-live-abc123")
        .doesNotContain("hdr-token-xyz")
        .contains("x-team");
  }

  private static GatewayConfig parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(KINDS, env).parse("sb.yaml", yaml);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertError(String yaml) {
    return assertThatThrownBy(() -> parse(yaml, Map.of("MOCK_KEY", "k"))).isInstanceOf(ConfigException.class);
  }
}

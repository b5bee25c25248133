package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code routing:} section: attempts, deadline, default timeouts, health. */
class ConfigLoaderRoutingTest {
  private static final String PROVIDERS = """
      providers:
        fast: { kind: openai-compatible, base_url: "http://127.0.0.1:1/v1", timeouts: { connect: 1s } }
        plain: { kind: openai-compatible, base_url: "http://127.0.0.1:2/v1" }
      """;

  private static GatewayConfig parse(String yaml) {
    return new ConfigLoader(Set.of("openai-compatible"), Map.of()).parse("sb.yaml", yaml);
  }

  @Test
  void withoutARoutingSectionEverythingIsDefault() {
    GatewayConfig config = parse(PROVIDERS);

    assertThat(config.routing()).isEqualTo(RoutingConfig.DEFAULTS);
    assertThat(config.routing().maxAttempts()).isEqualTo(5);
    assertThat(config.routing().deadline()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.routing().health().breakerFailures()).isEqualTo(5);
    assertThat(config.providers().get("plain").timeouts()).isEqualTo(TimeoutConfig.DEFAULTS);
  }

  @Test
  void everySettingIsRead() {
    GatewayConfig config = parse("""
        routing:
          max_attempts: 3
          deadline: 90s
          session_ttl: 10m
          timeouts: { connect: 2s, first_byte: 60s, idle: 30s }
          health: { window: 1m, breaker_failures: 0, breaker_cooldown: 5s, max_retry_after: 0s }
        """ + PROVIDERS);

    RoutingConfig routing = config.routing();
    assertThat(routing.maxAttempts()).isEqualTo(3);
    assertThat(routing.deadline()).isEqualTo(Duration.ofSeconds(90));
    assertThat(routing.sessionTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(routing.health()).isEqualTo(
        new RoutingConfig.Health(Duration.ofMinutes(1), 0, Duration.ofSeconds(5), Duration.ZERO));
    assertThat(routing.timeouts()).isEqualTo(
        new TimeoutConfig(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(30)));
  }

  @Test
  void providerTimeoutsOverrideTheRoutingDefaultsOneByOne() {
    GatewayConfig config = parse("routing: { timeouts: { connect: 2s, first_byte: 60s, idle: 30s } }\n" + PROVIDERS);

    assertThat(config.providers().get("plain").timeouts()).isEqualTo(config.routing().timeouts());
    assertThat(config.providers().get("fast").timeouts()).isEqualTo(
        new TimeoutConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30)));
  }

  @Test
  void presetsAreReadWithTheirProviderObjectAsJson() {
    GatewayConfig config = parse("""
        presets:
          terse:
            model: acme/chat
            models: [acme/backup]
            provider: { sort: price, only: [fast] }
            system_prompt: Be brief.
            temperature: 0.2
            top_p: 0.9
            max_tokens: 100
            seed: 42
            stop: [END]
        """ + PROVIDERS);

    assertThat(config.presets()).singleElement().satisfies(p -> {
      assertThat(p.slug()).isEqualTo("terse");
      assertThat(p.model()).isEqualTo("acme/chat");
      assertThat(p.models()).containsExactly("acme/backup");
      assertThat(p.provider()).isNotNull();
      assertThat(p.provider().json()).isEqualTo("{\"sort\":\"price\",\"only\":[\"fast\"]}");
      assertThat(p.systemPrompt()).isEqualTo("Be brief.");
      assertThat(p.temperature()).isEqualTo(0.2);
      assertThat(p.topP()).isEqualTo(0.9);
      assertThat(p.maxTokens()).isEqualTo(100);
      assertThat(p.seed()).isEqualTo(42L);
      assertThat(p.stop()).containsExactly("END");
    });
    assertThatThrownBy(() -> parse("presets:\n  x: { temperature: 3 }\n"))
        .hasMessageContaining("'temperature' must be between 0.0 and 2.0");
    assertThatThrownBy(() -> parse("presets:\n  x: { tools: [] }\n"))
        .hasMessageStartingWith("sb.yaml:2: unknown setting 'tools'");
  }

  @Test
  void streamResumeIsOnAndHedgingOffByDefault() {
    RoutingConfig routing = parse(PROVIDERS).routing();

    assertThat(routing.streamResume()).isEqualTo(new RoutingConfig.StreamResume(true, 1));
    assertThat(routing.hedging()).isEqualTo(new RoutingConfig.Hedging(false, Duration.ofSeconds(2), null));
  }

  @Test
  void streamResumeAndHedgingAreRead() {
    RoutingConfig routing = parse("""
        routing:
          stream_resume: { enabled: false, max_resumes: 2 }
          hedging: { enabled: true, delay: 750ms }
        """ + PROVIDERS).routing();

    assertThat(routing.streamResume()).isEqualTo(new RoutingConfig.StreamResume(false, 2));
    assertThat(routing.hedging()).isEqualTo(new RoutingConfig.Hedging(true, Duration.ofMillis(750), null));
  }

  @Test
  void aHedgingDelayMayBeAPercentileWithAFixedFallback() {
    assertThat(parse("routing: { hedging: { enabled: true, delay: p95 } }\n" + PROVIDERS).routing().hedging())
        .isEqualTo(new RoutingConfig.Hedging(true, Duration.ofSeconds(2), 95.0));
    assertThat(parse("routing: { hedging: { delay: p99.5, fallback_delay: 1s } }\n" + PROVIDERS).routing().hedging())
        .isEqualTo(new RoutingConfig.Hedging(false, Duration.ofSeconds(1), 99.5));
    assertThatThrownBy(() -> parse("routing: { hedging: { delay: p10 } }\n"))
        .hasMessageContaining("p50 to p99.9");
    assertThatThrownBy(() -> parse("routing: { hedging: { delay: 2s, fallback_delay: 1s } }\n"))
        .hasMessageContaining("only applies when 'delay' is a percentile");
    assertThatThrownBy(() -> parse("routing: { hedging: { delay: soon } }\n"))
        .hasMessageContaining("must be a duration");
    assertThatThrownBy(() -> parse("routing: { stream_resume: { max_resumes: 11 } }\n"))
        .hasMessageContaining("'max_resumes' must be between 0 and 10");
  }

  @Test
  void badValuesNameTheLineAndTheSetting() {
    assertThatThrownBy(() -> parse("routing: { max_attempts: 0 }\n"))
        .hasMessage("sb.yaml:1: 'max_attempts' must be between 1 and 100, not 0 (at routing.max_attempts)");
    assertThatThrownBy(() -> parse("routing:\n  deadline: 0s\n"))
        .hasMessage("sb.yaml:2: 'deadline' must be longer than 0s (at routing.deadline)");
    assertThatThrownBy(() -> parse("routing:\n  health: { breakr_failures: 3 }\n"))
        .hasMessageStartingWith("sb.yaml:2: unknown setting 'breakr_failures'")
        .hasMessageContaining("breaker_failures");
    assertThatThrownBy(() -> parse("routing: { retries: 3 }\n"))
        .hasMessageStartingWith("sb.yaml:1: unknown setting 'retries'");
  }
}

package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code limits:} and {@code redis:} config sections. */
class ClusterSectionsTest {
  private static GatewayConfig parse(String yaml) {
    return new ConfigLoader(Set.of("openai-compatible"), Map.of("REDIS_URL", "redis://:pw@10.0.0.5:6380/2"))
        .parse("t.yaml", yaml);
  }

  @Test
  void defaultsLimitNothingAndKeepStateInProcess() {
    GatewayConfig config = parse("server: { port: 0 }\n");
    assertThat(config.limits()).isEqualTo(LimitsConfig.NONE);
    assertThat(config.redis().enabled()).isFalse();
  }

  @Test
  void limitsAndRedisAreRead() {
    GatewayConfig config = parse("""
        limits:
          key: { requests_per_minute: 60, tokens_per_minute: 100_000 }
          account: { requests_per_minute: 600 }
          models:
            openai/gpt-4o: { key: { tokens_per_minute: 30000 } }
        redis: { url: "${REDIS_URL}", prefix: "prod:", timeout: 100ms }
        """);
    assertThat(config.limits().key()).isEqualTo(new LimitsConfig.Rate(60L, 100_000L));
    assertThat(config.limits().account()).isEqualTo(new LimitsConfig.Rate(600L, null));
    assertThat(config.limits().models().get("openai/gpt-4o").key().tokensPerMinute()).isEqualTo(30000L);
    assertThat(config.redis().url().reveal()).isEqualTo("redis://:pw@10.0.0.5:6380/2");
    assertThat(config.redis().toString()).doesNotContain("pw");
    assertThat(config.redis().prefix()).isEqualTo("prod:");
    assertThat(config.redis().timeout()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theHighestFigureABucketCanRefillAtIsAccepted() {
    GatewayConfig config = parse("limits: { key: { requests_per_minute: 60_000_000_000 } }\n");
    assertThat(config.limits().key().requestsPerMinute()).isEqualTo(LimitsConfig.MAX_PER_MINUTE);
  }

  @Test
  void mistakesStopStartUpWithThePlace() {
    assertThatThrownBy(() -> parse("limits: { key: { requests_per_minute: 0 } }\n"))
        .hasMessageContaining("t.yaml:1").hasMessageContaining("requests_per_minute must be at least 1");
    assertThatThrownBy(() -> parse("limits: { account: { tokens_per_minute: 60_000_000_001 } }\n"))
        .hasMessageContaining("t.yaml:1").hasMessageContaining("tokens_per_minute must be at most 60000000000");
    assertThatThrownBy(() -> parse("limits: { key: { rpm: 5 } }\n")).hasMessageContaining("rpm");
    assertThatThrownBy(() -> parse("redis: { url: 'http://x' }\n")).hasMessageContaining("redis://");
  }
}

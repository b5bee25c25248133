package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How requests are routed and retried ({@code routing:} in the config file).
 *
 * @param maxAttempts upstream attempts per request at most, fallbacks included; default 5
 * @param deadline how long the attempt loop may go on before the request fails; default 10 min.
 *     It bounds waiting for an upstream to start answering, never a stream that has started
 * @param sessionTtl how long a conversation stays pinned to the endpoint that served it, from its
 *     last success; default 1 h
 * @param timeouts the upstream timeouts of every provider that does not set its own
 * @param health when endpoints count as failing, and for how long they are avoided
 */
public record RoutingConfig(
    int maxAttempts, Duration deadline, Duration sessionTtl, TimeoutConfig timeouts, Health health) {
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(1);

  public static final RoutingConfig DEFAULTS = new RoutingConfig(
      DEFAULT_MAX_ATTEMPTS, DEFAULT_DEADLINE, DEFAULT_SESSION_TTL, TimeoutConfig.DEFAULTS, Health.DEFAULTS);

  public RoutingConfig {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("routing.max_attempts must be at least 1, not " + maxAttempts);
    }
    requireNonNull(deadline, "deadline");
    requireNonNull(sessionTtl, "sessionTtl");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(health, "health");
  }

  /**
   * Endpoint health ({@code routing.health:}).
   *
   * @param window how far back "recent failures" look; default 30 s, OpenRouter's figure
   * @param breakerFailures consecutive failures that open an endpoint's circuit breaker; default 5;
   *     0 switches the breaker off
   * @param breakerCooldown how long an open breaker keeps traffic away before one probe request may
   *     try the endpoint again; default 30 s
   * @param maxRetryAfter the longest {@code Retry-After} (from a 429 or 503) honoured by keeping
   *     traffic away from the endpoint; default 5 min; 0 ignores {@code Retry-After}
   */
  public record Health(Duration window, int breakerFailures, Duration breakerCooldown, Duration maxRetryAfter) {
    public static final Health DEFAULTS =
        new Health(Duration.ofSeconds(30), 5, Duration.ofSeconds(30), Duration.ofMinutes(5));

    public Health {
      requireNonNull(window, "window");
      requireNonNull(breakerCooldown, "breakerCooldown");
      requireNonNull(maxRetryAfter, "maxRetryAfter");
      if (breakerFailures < 0) {
        throw new IllegalArgumentException("routing.health.breaker_failures must not be negative");
      }
    }
  }
}

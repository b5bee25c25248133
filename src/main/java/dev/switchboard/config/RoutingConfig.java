package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

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
 * @param streamResume whether a stream that breaks after it started continues on another endpoint
 * @param hedging whether a slow first byte starts the next endpoint too
 */
public record RoutingConfig(
    int maxAttempts, Duration deadline, Duration sessionTtl, TimeoutConfig timeouts, Health health,
    StreamResume streamResume, Hedging hedging) {
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
  public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(1);

  public static final RoutingConfig DEFAULTS = new RoutingConfig(
      DEFAULT_MAX_ATTEMPTS, DEFAULT_DEADLINE, DEFAULT_SESSION_TTL, TimeoutConfig.DEFAULTS, Health.DEFAULTS);

  /** Routing with the default stream resume and hedging settings. */
  public RoutingConfig(int maxAttempts, Duration deadline, Duration sessionTtl, TimeoutConfig timeouts,
      Health health) {
    this(maxAttempts, deadline, sessionTtl, timeouts, health, StreamResume.DEFAULTS, Hedging.DEFAULTS);
  }

  public RoutingConfig {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("routing.max_attempts must be at least 1, not " + maxAttempts);
    }
    requireNonNull(deadline, "deadline");
    requireNonNull(sessionTtl, "sessionTtl");
    requireNonNull(timeouts, "timeouts");
    requireNonNull(health, "health");
    requireNonNull(streamResume, "streamResume");
    requireNonNull(hedging, "hedging");
  }

  /** This config with other stream resume settings. */
  public RoutingConfig withStreamResume(StreamResume resume) {
    return new RoutingConfig(maxAttempts, deadline, sessionTtl, timeouts, health, resume, hedging);
  }

  /** This config with other hedging settings. */
  public RoutingConfig withHedging(Hedging newHedging) {
    return new RoutingConfig(maxAttempts, deadline, sessionTtl, timeouts, health, streamResume, newHedging);
  }

  /**
   * Stream resume ({@code routing.stream_resume:}): a text stream that breaks after it started
   * continues on another endpoint, with the text so far sent as the assistant's prefix.
   *
   * @param enabled default true; a request can still switch it off ({@code provider.stream_resume})
   * @param maxResumes how many times one stream may be continued; default 1
   */
  public record StreamResume(boolean enabled, int maxResumes) {
    public static final StreamResume DEFAULTS = new StreamResume(true, 1);

    public StreamResume {
      if (maxResumes < 0) {
        throw new IllegalArgumentException("routing.stream_resume.max_resumes must not be negative");
      }
    }
  }

  /**
   * Hedged requests ({@code routing.hedging:}): when the first attempt has not started answering
   * after a delay, the next endpoint is started too and the first to answer wins.
   *
   * @param enabled default false; a request can switch it on ({@code provider.hedge: true})
   * @param delay the fixed delay; default 2 s. Also the fallback when {@code percentile} is set and
   *     the endpoint has no statistics yet
   * @param percentile when set (50 to 99.9), the delay is this percentile of the endpoint's recent
   *     time to first token ({@code delay: p95}); null for the fixed delay
   */
  public record Hedging(boolean enabled, Duration delay, @Nullable Double percentile) {
    public static final Duration DEFAULT_DELAY = Duration.ofSeconds(2);
    public static final Hedging DEFAULTS = new Hedging(false, DEFAULT_DELAY, null);

    public Hedging {
      requireNonNull(delay, "delay");
      if (percentile != null && (percentile < 50 || percentile >= 100)) {
        throw new IllegalArgumentException("routing.hedging.delay percentile must be p50 to p99.9, not p" + percentile);
      }
    }
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

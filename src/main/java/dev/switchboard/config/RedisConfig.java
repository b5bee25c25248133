package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Redis ({@code redis:} in the config file), which turns a set of gateway nodes into a cluster:
 * rate-limit buckets, spending reservations, endpoint health and statistics, and session pins are shared through
 * it. Without a url every node keeps them in process.
 *
 * @param url {@code redis://[:password@]host[:port][/db]} (or {@code rediss://} for TLS); null
 *     keeps every node on its own; a secret because it may carry a password
 * @param prefix put in front of every Redis key the gateway writes, so several clusters (or test
 *     runs) can share one Redis; default {@value #DEFAULT_PREFIX}
 * @param timeout how long one Redis command may take before the node stops waiting and carries on
 *     with its own state (degraded); default 250 ms
 */
public record RedisConfig(@Nullable Secret url, String prefix, Duration timeout) {
  public static final String DEFAULT_PREFIX = "switchboard:";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);
  public static final RedisConfig NONE = new RedisConfig(null, DEFAULT_PREFIX, DEFAULT_TIMEOUT);

  public RedisConfig {
    requireNonNull(prefix, "prefix");
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("redis.timeout must be positive, not " + timeout);
    }
  }

  public boolean enabled() {
    return url != null && !url.isBlank();
  }
}

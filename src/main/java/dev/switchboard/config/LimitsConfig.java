package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Rate limits ({@code limits:} in the config file): requests and tokens per minute, per key and
 * per account, with tighter or looser figures per model. Nothing is limited by default.
 *
 * @param key what every key may do across all models, unless the key has its own {@code
 *     rate_limit} (set through the key API), which replaces it
 * @param account what all the keys of one account may do together, across all models
 * @param models per-model limits, by model id ({@code openai/gpt-4o}), counted per key and per
 *     account on that model only, on top of the limits above
 */
public record LimitsConfig(Rate key, Rate account, Map<String, ModelLimits> models) {
  public static final LimitsConfig NONE = new LimitsConfig(Rate.NONE, Rate.NONE, Map.of());

  /**
   * The highest per-minute figure a limit may have: 60 billion, one per nanosecond, the fastest
   * refill Bucket4j's buckets (local and in Redis) can keep. Far above any real limit, but a
   * "practically unlimited" figure over it must be refused where it is written, not fail every
   * request it applies to.
   */
  public static final long MAX_PER_MINUTE = 60_000_000_000L;

  public LimitsConfig {
    requireNonNull(key, "key");
    requireNonNull(account, "account");
    models = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  /** Whether any limit is configured at all (keys may still have their own). */
  public boolean any() {
    return key.any() || account.any() || !models.isEmpty();
  }

  /** The limits on one model, per key and per account. */
  public record ModelLimits(Rate key, Rate account) {
    public ModelLimits {
      requireNonNull(key, "key");
      requireNonNull(account, "account");
    }
  }

  /**
   * A pair of per-minute limits; each null when it does not apply.
   *
   * @param requestsPerMinute requests admitted per minute, 1 to {@link #MAX_PER_MINUTE}
   * @param tokensPerMinute prompt plus completion tokens per minute, 1 to {@link #MAX_PER_MINUTE}
   */
  public record Rate(@Nullable Long requestsPerMinute, @Nullable Long tokensPerMinute) {
    public static final Rate NONE = new Rate(null, null);

    public Rate {
      checkPerMinute("requests_per_minute", requestsPerMinute);
      checkPerMinute("tokens_per_minute", tokensPerMinute);
    }

    public boolean any() {
      return requestsPerMinute != null || tokensPerMinute != null;
    }
  }

  /**
   * Checks one per-minute figure (null: not set).
   *
   * @throws IllegalArgumentException naming {@code field} when it is below 1 or above {@link
   *     #MAX_PER_MINUTE}
   */
  public static void checkPerMinute(String field, @Nullable Long perMinute) {
    if (perMinute == null) {
      return;
    }
    if (perMinute < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, not " + perMinute);
    }
    if (perMinute > MAX_PER_MINUTE) {
      throw new IllegalArgumentException(field + " must be at most " + MAX_PER_MINUTE
          + " (one per nanosecond, the fastest a rate-limit bucket refills), not " + perMinute
          + "; leave it out for no limit");
    }
  }
}

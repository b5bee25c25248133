package dev.switchboard.limits;

import org.jspecify.annotations.Nullable;

/**
 * A key's own rate limit ({@code "rate_limit"} in the key API): each figure, when set, replaces
 * the config's {@code limits.key} figure for that key.
 *
 * @param requestsPerMinute requests per minute, at least 1; null for the config's default
 * @param tokensPerMinute prompt plus completion tokens per minute, at least 1; null for the default
 */
public record RateLimit(@Nullable Long requestsPerMinute, @Nullable Long tokensPerMinute) {
  public static final RateLimit NONE = new RateLimit(null, null);

  public RateLimit {
    if (requestsPerMinute != null && requestsPerMinute < 1) {
      throw new IllegalArgumentException("requests_per_minute must be at least 1, got " + requestsPerMinute);
    }
    if (tokensPerMinute != null && tokensPerMinute < 1) {
      throw new IllegalArgumentException("tokens_per_minute must be at least 1, got " + tokensPerMinute);
    }
  }

  public boolean isNone() {
    return requestsPerMinute == null && tokensPerMinute == null;
  }
}

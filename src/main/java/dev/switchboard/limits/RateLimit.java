package dev.switchboard.limits;

import dev.switchboard.config.LimitsConfig;
import org.jspecify.annotations.Nullable;

/**
 * A key's own rate limit ({@code "rate_limit"} in the key API): each figure, when set, replaces
 * the config's {@code limits.key} figure for that key.
 *
 * @param requestsPerMinute requests per minute, 1 to {@link LimitsConfig#MAX_PER_MINUTE}; null for
 *     the config's default
 * @param tokensPerMinute prompt plus completion tokens per minute, 1 to {@link
 *     LimitsConfig#MAX_PER_MINUTE}; null for the default
 */
public record RateLimit(@Nullable Long requestsPerMinute, @Nullable Long tokensPerMinute) {
  public static final RateLimit NONE = new RateLimit(null, null);

  public RateLimit {
    LimitsConfig.checkPerMinute("requests_per_minute", requestsPerMinute);
    LimitsConfig.checkPerMinute("tokens_per_minute", tokensPerMinute);
  }

  public boolean isNone() {
    return requestsPerMinute == null && tokensPerMinute == null;
  }
}

package dev.switchboard.core;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * An endpoint's prices in exact USD. Token prices are per single token (OpenRouter's unit, so
 * {@code 0.000003} is $3 per million). Null components are not charged.
 *
 * @param cacheRead price of a prompt token read from the provider's cache (instead of {@code prompt})
 * @param cacheWrite price of a prompt token written to the provider's cache
 * @param reasoning price of a reasoning token, when it differs from {@code completion}
 * @param request a flat price per request
 * @param image price per input image
 */
public record Pricing(
    BigDecimal prompt,
    BigDecimal completion,
    @Nullable BigDecimal cacheRead,
    @Nullable BigDecimal cacheWrite,
    @Nullable BigDecimal reasoning,
    @Nullable BigDecimal request,
    @Nullable BigDecimal image) {

  public static final Pricing FREE = of(BigDecimal.ZERO, BigDecimal.ZERO);

  public Pricing {
    requireNonNegative("prompt", prompt);
    requireNonNegative("completion", completion);
    requireNonNegative("cache_read", cacheRead);
    requireNonNegative("cache_write", cacheWrite);
    requireNonNegative("reasoning", reasoning);
    requireNonNegative("request", request);
    requireNonNegative("image", image);
  }

  public static Pricing of(BigDecimal prompt, BigDecimal completion) {
    return new Pricing(prompt, completion, null, null, null, null, null);
  }

  /** Whether every component is zero or absent. */
  public boolean isFree() {
    return isZero(prompt) && isZero(completion) && isZero(request) && isZero(image);
  }

  private static boolean isZero(@Nullable BigDecimal value) {
    return value == null || value.signum() == 0;
  }

  private static void requireNonNegative(String name, @Nullable BigDecimal value) {
    if (value != null && value.signum() < 0) {
      throw new IllegalArgumentException("price '" + name + "' must not be negative, was " + value);
    }
  }
}

package dev.switchboard.accounting;

import dev.switchboard.core.Pricing;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Computes the USD cost of one generation in exact decimal arithmetic.
 *
 * <p>Token accounting follows OpenAI's convention, which every adapter normalises to: {@code
 * promptTokens} includes cached (read) tokens and {@code completionTokens} includes reasoning
 * tokens. So:
 *
 * <pre>
 * cost = (prompt − cachedRead − cacheWrite) × prompt price
 *      + cachedRead × cache_read price (prompt price when the endpoint has none)
 *      + cacheWrite × cache_write price (prompt price when none)
 *      + (completion − reasoning) × completion price
 *      + reasoning × reasoning price (completion price when none)
 *      + request price + images × image price
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class CostCalculator {
  private CostCalculator() {}

  public static BigDecimal cost(Pricing pricing, Usage usage, int images) {
    long cached = orZero(usage.cachedTokens());
    long cacheWrite = orZero(usage.cacheWriteTokens());
    long reasoning = Math.min(orZero(usage.reasoningTokens()), usage.completionTokens());
    long uncachedPrompt = Math.max(0, usage.promptTokens() - cached - cacheWrite);

    BigDecimal total = times(pricing.prompt(), uncachedPrompt)
        .add(times(or(pricing.cacheRead(), pricing.prompt()), cached))
        .add(times(or(pricing.cacheWrite(), pricing.prompt()), cacheWrite))
        .add(times(pricing.completion(), usage.completionTokens() - reasoning))
        .add(times(or(pricing.reasoning(), pricing.completion()), reasoning));
    if (pricing.request() != null) {
      total = total.add(pricing.request());
    }
    if (pricing.image() != null && images > 0) {
      total = total.add(times(pricing.image(), images));
    }
    return total;
  }

  private static BigDecimal times(BigDecimal price, long count) {
    return count == 0 ? BigDecimal.ZERO : price.multiply(BigDecimal.valueOf(count));
  }

  private static BigDecimal or(@Nullable BigDecimal value, BigDecimal fallback) {
    return value == null ? fallback : value;
  }

  private static long orZero(@Nullable Long value) {
    return value == null ? 0 : value;
  }
}

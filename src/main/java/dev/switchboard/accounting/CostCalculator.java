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
 * Each sub-count is first clamped into {@code [0, its total]}, so the cost is never negative and
 * never more than every token at the dearest price plus the flat components. Stateless and
 * thread-safe.
 */
public final class CostCalculator {
  private CostCalculator() {}

  /**
   * The cost of one generation.
   *
   * @param images input images in the request, charged at the endpoint's image price if it has one
   * @return USD, exact; zero or more
   */
  public static BigDecimal cost(Pricing pricing, Usage usage, int images) {
    // Sub-counts are clamped into their totals: a provider that reports more cached tokens than
    // prompt tokens (or a negative count) must not be charged for tokens that were never sent,
    // nor credited for negative ones.
    long cached = clamp(usage.cachedTokens(), usage.promptTokens());
    long cacheWrite = clamp(usage.cacheWriteTokens(), usage.promptTokens() - cached);
    long reasoning = clamp(usage.reasoningTokens(), usage.completionTokens());
    long uncachedPrompt = usage.promptTokens() - cached - cacheWrite;

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

  /** {@code value} within {@code [0, max]}; null (not reported) is 0. */
  private static long clamp(@Nullable Long value, long max) {
    return value == null ? 0 : Math.max(0, Math.min(value, max));
  }
}

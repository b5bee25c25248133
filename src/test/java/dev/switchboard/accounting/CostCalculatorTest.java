package dev.switchboard.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.Pricing;
import dev.switchboard.core.Usage;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Hand-worked costs, one price component at a time, then all together; exact decimals throughout. */
class CostCalculatorTest {
  // Claude-Sonnet-like prices, plus made-up flat and image prices: $ per token, request, image.
  private static final BigDecimal PROMPT = new BigDecimal("0.000003");
  private static final BigDecimal COMPLETION = new BigDecimal("0.000015");
  private static final BigDecimal CACHE_READ = new BigDecimal("0.0000003");
  private static final BigDecimal CACHE_WRITE = new BigDecimal("0.00000375");
  private static final BigDecimal REASONING = new BigDecimal("0.00002");
  private static final BigDecimal REQUEST = new BigDecimal("0.001");
  private static final BigDecimal IMAGE = new BigDecimal("0.0048");

  private static final Pricing TOKENS_ONLY = Pricing.of(PROMPT, COMPLETION);
  private static final Pricing EVERYTHING =
      new Pricing(PROMPT, COMPLETION, CACHE_READ, CACHE_WRITE, REASONING, REQUEST, IMAGE);

  @Test
  void promptTokens() {
    // 1000 × 0.000003
    assertCost(TOKENS_ONLY, Usage.of(1000, 0), 0, "0.003");
  }

  @Test
  void completionTokens() {
    // 200 × 0.000015
    assertCost(TOKENS_ONLY, Usage.of(0, 200), 0, "0.003");
    assertCost(TOKENS_ONLY, Usage.of(1000, 200), 0, "0.006");
  }

  @Test
  void cacheReadAtItsOwnPrice() {
    // 600 uncached × 0.000003 + 400 cached × 0.0000003 = 0.0018 + 0.00012, plus the request 0.001
    assertCost(EVERYTHING, usage(1000, 0, 400L, null, null), 0, "0.00292");
  }

  @Test
  void cacheReadWithoutACacheReadPriceCostsThePromptPrice() {
    assertCost(TOKENS_ONLY, usage(1000, 0, 400L, null, null), 0, "0.003");
  }

  @Test
  void cacheWriteAtItsOwnPrice() {
    // 800 × 0.000003 + 200 × 0.00000375 = 0.0024 + 0.00075, plus the request price 0.001
    assertCost(EVERYTHING, usage(1000, 0, null, 200L, null), 0, "0.00415");
  }

  @Test
  void cacheWriteWithoutACacheWritePriceCostsThePromptPrice() {
    assertCost(TOKENS_ONLY, usage(1000, 0, null, 200L, null), 0, "0.003");
  }

  @Test
  void reasoningAtItsOwnPrice() {
    // 200 visible × 0.000015 + 300 reasoning × 0.00002 = 0.003 + 0.006, plus the request 0.001
    assertCost(EVERYTHING, usage(0, 500, null, null, 300L), 0, "0.010");
  }

  @Test
  void reasoningWithoutAReasoningPriceCostsTheCompletionPrice() {
    // 500 × 0.000015: reasoning tokens are completion tokens
    assertCost(TOKENS_ONLY, usage(0, 500, null, null, 300L), 0, "0.0075");
  }

  @Test
  void perRequestPrice() {
    Pricing flat = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, REQUEST, null);
    assertCost(flat, Usage.ZERO, 0, "0.001");
    assertCost(flat, Usage.of(5000, 5000), 0, "0.001");
  }

  @Test
  void perImagePrice() {
    Pricing images = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null, IMAGE);
    assertCost(images, Usage.ZERO, 3, "0.0144");
    assertCost(images, Usage.ZERO, 0, "0");
    // No image price: images cost nothing beyond their tokens.
    assertCost(TOKENS_ONLY, Usage.ZERO, 3, "0");
  }

  @Test
  void everyComponentTogether() {
    // uncached 10000 − 4000 − 1000 = 5000 × 0.000003   = 0.015
    // cache read             4000 × 0.0000003          = 0.0012
    // cache write            1000 × 0.00000375         = 0.00375
    // visible completion     2000 − 500 = 1500 × 0.000015 = 0.0225
    // reasoning               500 × 0.00002            = 0.01
    // request                                            0.001
    // images                    2 × 0.0048             = 0.0096
    assertCost(EVERYTHING, usage(10_000, 2000, 4000L, 1000L, 500L), 2, "0.06305");
  }

  @Test
  void notReportedCountsAreChargedLikeZero() {
    assertThat(CostCalculator.cost(EVERYTHING, usage(1000, 100, null, null, null), 0))
        .isEqualByComparingTo(CostCalculator.cost(EVERYTHING, usage(1000, 100, 0L, 0L, 0L), 0));
  }

  @Test
  void freeIsZero() {
    assertCost(Pricing.FREE, usage(123_456, 7890, 1000L, 10L, 5L), 4, "0");
  }

  @Test
  void arithmeticIsExactForLongTokenCounts() {
    Pricing tiny = Pricing.of(new BigDecimal("0.0000001"), new BigDecimal("0.0000007"));
    // 123456789 × 0.0000001 + 987654321 × 0.0000007 = 12.3456789 + 691.3580247
    assertCost(tiny, Usage.of(123_456_789, 987_654_321), 0, "703.7037036");
  }

  @Test
  void subCountsLargerThanTheirTotalsAreClampedNotOvercharged() {
    // 150 cached of 100 prompt tokens: at most the 100 are charged, all at the cache price.
    // 100 × 0.0000003 + the request 0.001
    assertCost(EVERYTHING, usage(100, 0, 150L, null, null), 0, "0.00103");
    // Cache write beyond what is left after the cached read: 100 prompt, 60 cached, 60 written.
    // 60 × 0.0000003 + 40 × 0.00000375 + 0.001 = 0.000018 + 0.00015 + 0.001
    assertCost(EVERYTHING, usage(100, 0, 60L, 60L, null), 0, "0.001168");
    // 900 reasoning of 500 completion tokens: 500 × 0.00002 + 0.001
    assertCost(EVERYTHING, usage(0, 500, null, null, 900L), 0, "0.011");
  }

  @Test
  void negativeSubCountsAreIgnoredNotCredited() {
    // A dearer cache-read price than prompt price, so a negative cached count would lower the cost.
    Pricing odd = new Pricing(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("0.01"), new BigDecimal("0.01"),
        new BigDecimal("0.01"), null, null);
    assertCost(odd, usage(0, 0, -10L, -10L, -10L), 0, "0");
    assertCost(TOKENS_ONLY, usage(1000, 200, -5L, -5L, -5L), 0, "0.006");
  }

  // ---- properties ----

  @Provide
  Arbitrary<@Nullable BigDecimal> price() {
    return Arbitraries.bigDecimals()
        .between(BigDecimal.ZERO, new BigDecimal("0.01"))
        .ofScale(9)
        .injectNull(0.2);
  }

  @Provide
  Arbitrary<@Nullable Long> subCount() {
    return Arbitraries.longs().between(-1000, 3_000_000).injectNull(0.3);
  }

  @Property(tries = 1000, seed = "20260214")
  void costIsNeverNegativeNorMoreThanEveryTokenAtTheDearestPrice(
      @ForAll("price") @Nullable BigDecimal prompt,
      @ForAll("price") @Nullable BigDecimal completion,
      @ForAll("price") @Nullable BigDecimal cacheRead,
      @ForAll("price") @Nullable BigDecimal cacheWrite,
      @ForAll("price") @Nullable BigDecimal reasoning,
      @ForAll("price") @Nullable BigDecimal request,
      @ForAll("price") @Nullable BigDecimal image,
      @ForAll @LongRange(min = 0, max = 2_000_000) long promptTokens,
      @ForAll @LongRange(min = 0, max = 2_000_000) long completionTokens,
      @ForAll("subCount") @Nullable Long cached,
      @ForAll("subCount") @Nullable Long written,
      @ForAll("subCount") @Nullable Long reasoningTokens,
      @ForAll @IntRange(min = -2, max = 20) int images) {
    Pricing pricing = new Pricing(orZero(prompt), orZero(completion), cacheRead, cacheWrite, reasoning, request, image);
    Usage usage = new Usage(promptTokens, completionTokens, cached, written, reasoningTokens, false);

    BigDecimal cost = CostCalculator.cost(pricing, usage, images);

    assertThat(cost.signum()).isGreaterThanOrEqualTo(0);
    BigDecimal dearest = max(pricing.prompt(), pricing.completion(), cacheRead, cacheWrite, reasoning);
    BigDecimal ceiling = dearest.multiply(BigDecimal.valueOf(promptTokens + completionTokens))
        .add(orZero(request))
        .add(orZero(image).multiply(BigDecimal.valueOf(Math.max(0, images))));
    assertThat(cost).isLessThanOrEqualTo(ceiling);
  }

  private static void assertCost(Pricing pricing, Usage usage, int images, String expected) {
    BigDecimal cost = CostCalculator.cost(pricing, usage, images);
    assertThat(cost).as("cost %s", cost.toPlainString()).isEqualByComparingTo(expected);
  }

  private static Usage usage(long prompt, long completion, @Nullable Long cached, @Nullable Long written,
      @Nullable Long reasoning) {
    return new Usage(prompt, completion, cached, written, reasoning, false);
  }

  private static BigDecimal orZero(@Nullable BigDecimal value) {
    return value == null ? BigDecimal.ZERO : value;
  }

  private static BigDecimal max(@Nullable BigDecimal... values) {
    BigDecimal max = BigDecimal.ZERO;
    for (BigDecimal value : values) {
      if (value != null && value.compareTo(max) > 0) {
        max = value;
      }
    }
    return max;
  }
}

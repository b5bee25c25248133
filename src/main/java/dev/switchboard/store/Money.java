package dev.switchboard.store;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money in the store: a {@code long} of nano-USD (10<sup>-9</sup> USD). A {@code long} holds about
 * 9.2 billion USD, far beyond any per-request cost or key limit, and integer sums are exact in SQL
 * on every back-end. Prices stay {@link BigDecimal} until a cost is final; then it is converted
 * here, once. No {@code double} is involved anywhere.
 */
public final class Money {
  /** Decimal places of USD that a nano-USD amount keeps. */
  public static final int SCALE = 9;

  private Money() {}

  /**
   * Converts USD to nano-USD, rounding HALF_UP at the ninth decimal (half a nano-USD rounds away
   * from zero, so {@code 0.0000000005} becomes 1 and {@code -0.0000000005} becomes -1).
   *
   * @throws ArithmeticException if the amount does not fit in a {@code long}
   */
  public static long toNanos(BigDecimal usd) {
    return usd.setScale(SCALE, RoundingMode.HALF_UP).unscaledValue().longValueExact();
  }

  /** Converts nano-USD to USD exactly, with scale 9. */
  public static BigDecimal toUsd(long nanos) {
    return BigDecimal.valueOf(nanos, SCALE);
  }

  /**
   * Formats for people: {@code $1.50}, {@code $0.000123}; at least two decimals, no trailing zeros
   * beyond.
   */
  public static String format(long nanos) {
    BigDecimal usd = toUsd(nanos).stripTrailingZeros();
    if (usd.scale() < 2) {
      usd = usd.setScale(2, RoundingMode.UNNECESSARY);
    }
    return (nanos < 0 ? "-$" : "$") + usd.abs().toPlainString();
  }
}

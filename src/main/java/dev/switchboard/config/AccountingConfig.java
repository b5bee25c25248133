package dev.switchboard.config;

/**
 * Money: whether accounts must have credits to spend.
 *
 * @param requireCredits when true, a request is admitted only while its account's credit balance
 *     (grants and adjustments less usage) covers it; when false (the default) credits are recorded
 *     and reported but never refuse a request, so a self-hosted gateway works out of the box and
 *     only key limits cap spending
 */
public record AccountingConfig(boolean requireCredits) {
  public static final boolean DEFAULT_REQUIRE_CREDITS = false;
  public static final AccountingConfig DEFAULTS = new AccountingConfig(DEFAULT_REQUIRE_CREDITS);
}

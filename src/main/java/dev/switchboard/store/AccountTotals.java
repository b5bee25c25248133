package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

/**
 * An account's running ledger totals, in nano-USD.
 *
 * @param creditsNanos grants plus adjustments (OpenRouter's {@code total_credits})
 * @param usageNanos charges less refunds (OpenRouter's {@code total_usage})
 */
public record AccountTotals(String accountId, long creditsNanos, long usageNanos) {
  public AccountTotals {
    requireNonNull(accountId, "accountId");
  }

  /** Credits left: may be negative when spending was not enforced. */
  public long balanceNanos() {
    return creditsNanos - usageNanos;
  }
}

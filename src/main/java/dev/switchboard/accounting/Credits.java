package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * An account's credits, as {@code GET /api/v1/credits} reports them (exact USD).
 *
 * @param totalCredits everything granted, less adjustments
 * @param totalUsage everything charged, less refunds
 */
public record Credits(String accountId, BigDecimal totalCredits, BigDecimal totalUsage) {
  public Credits {
    requireNonNull(accountId, "accountId");
    requireNonNull(totalCredits, "totalCredits");
    requireNonNull(totalUsage, "totalUsage");
  }

  /** What is left to spend; negative when spending ran ahead of the credits while not enforced. */
  public BigDecimal balance() {
    return totalCredits.subtract(totalUsage);
  }
}

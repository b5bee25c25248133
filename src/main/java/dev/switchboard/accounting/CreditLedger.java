package dev.switchboard.accounting;

import java.math.BigDecimal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Accounts' credits: the running totals of their append-only ledger, and the entries operators
 * add. (Charges are not added here: each is written with its generation record.) Implementations
 * are thread-safe; every method may block on the store, so call them off event loops.
 */
public interface CreditLedger {

  /** The account's credits and usage; empty if there is no such account. */
  Optional<Credits> credits(String accountId);

  /**
   * Adds credits to an account: a positive amount is a grant, a negative one an adjustment that
   * takes credits away.
   *
   * @param note why, for people reading the ledger; may be null
   * @return the credits after the entry; empty (nothing written) if there is no such account
   * @throws IllegalArgumentException if the amount is zero or finer than a nano-USD
   */
  Optional<Credits> grant(String accountId, BigDecimal amountUsd, @Nullable String note);
}

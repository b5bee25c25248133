package dev.switchboard.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Accounts and their append-only credit ledger. Charges are not written here but by {@link
 * GenerationRepository#insertAll}, in the transaction of the generation they are for; this
 * repository appends what people do (grants, adjustments, refunds) and reads the totals.
 * Implementations are thread-safe and cache nothing.
 */
public interface LedgerRepository {

  /** The account's running totals; empty if there is no such account. */
  Optional<AccountTotals> totals(String accountId);

  /**
   * Appends an entry and moves its account's totals by its amount, in one transaction.
   *
   * @return the totals after the entry; empty (and nothing written) if the account does not exist
   * @throws StoreException if the entry cannot be stored (a duplicate id or generation)
   */
  Optional<AccountTotals> append(LedgerEntry entry);

  /** The account's most recent entries, newest first, at most {@code limit}. */
  List<LedgerEntry> entries(String accountId, int limit);

  /**
   * Creates an account with no credits and no usage.
   *
   * @throws StoreException if an account with this id exists
   */
  void createAccount(String id, String name, Instant at);

  /** Every account's totals, by id. */
  List<AccountTotals> accounts();
}

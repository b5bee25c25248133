package dev.switchboard.app;

import static java.util.Objects.requireNonNull;

import dev.switchboard.accounting.Budgets;
import dev.switchboard.keys.KeyService;
import dev.switchboard.store.AccountTotals;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.LedgerRepository;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.Money;
import java.util.Map;
import java.util.Optional;

/**
 * Spending caps read from the store: the key's limit against its usage in the limit's window (its
 * running counters), and, when credits are required, the account's running ledger totals. Each is
 * one row read. Thread-safe.
 */
final class StoreBudgets implements Budgets {
  private static final Map<LimitReset, String> WINDOW_START = Map.of(
      LimitReset.DAILY, "midnight", LimitReset.WEEKLY, "Monday midnight",
      LimitReset.MONTHLY, "first of the month");

  private final KeyService keys;
  private final LedgerRepository ledger;
  private final boolean creditsRequired;

  StoreBudgets(KeyService keys, LedgerRepository ledger, boolean creditsRequired) {
    this.keys = requireNonNull(keys, "keys");
    this.ledger = requireNonNull(ledger, "ledger");
    this.creditsRequired = creditsRequired;
  }

  @Override
  public boolean creditsRequired() {
    return creditsRequired;
  }

  @Override
  public Caps caps(String keyHash, String accountId) {
    Cap key = null;
    Optional<ApiKey> found = keys.find(keyHash);
    Long limitNanos = found.map(ApiKey::limitNanos).orElse(null);
    if (found.isPresent() && limitNanos != null) {
      ApiKey apiKey = found.get();
      long limit = limitNanos;
      LimitReset reset = apiKey.limitReset();
      key = new Cap(limit, keys.usage(keyHash).inWindow(reset),
          "this key's " + (reset == null ? "" : reset.wireName() + " ") + "limit of " + Money.format(limit),
          reset == null
              ? "A management key can raise the limit (PATCH /api/v1/keys/{hash})."
              : "It starts over at the next " + WINDOW_START.get(reset)
                  + " (UTC); a management key can raise it (PATCH /api/v1/keys/{hash}).");
    }
    Cap account = null;
    if (creditsRequired) {
      // An account that vanished has nothing to spend.
      AccountTotals totals = ledger.totals(accountId).orElse(new AccountTotals(accountId, 0, 0));
      account = new Cap(totals.creditsNanos(), totals.usageNanos(),
          "the account '" + accountId + "' (granted " + Money.format(totals.creditsNanos()) + ")",
          "A management key can add credits (POST /api/v1/credits), or the operator with"
              + " 'switchboard credits grant'.");
    }
    return new Caps(key, account);
  }
}

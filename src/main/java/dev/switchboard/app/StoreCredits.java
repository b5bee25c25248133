package dev.switchboard.app;

import static java.util.Objects.requireNonNull;

import dev.switchboard.accounting.CreditLedger;
import dev.switchboard.accounting.Credits;
import dev.switchboard.store.AccountTotals;
import dev.switchboard.store.LedgerEntry;
import dev.switchboard.store.LedgerRepository;
import dev.switchboard.store.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The credit ledger on the store's {@link LedgerRepository}. Thread-safe. */
final class StoreCredits implements CreditLedger {
  private final LedgerRepository ledger;
  private final Clock clock;

  StoreCredits(LedgerRepository ledger, Clock clock) {
    this.ledger = requireNonNull(ledger, "ledger");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Optional<Credits> credits(String accountId) {
    return ledger.totals(accountId).map(StoreCredits::credits);
  }

  @Override
  public Optional<Credits> grant(String accountId, BigDecimal amountUsd, @Nullable String note) {
    if (amountUsd.signum() == 0) {
      throw new IllegalArgumentException("a grant of 0 USD changes nothing");
    }
    if (amountUsd.stripTrailingZeros().scale() > Money.SCALE) {
      throw new IllegalArgumentException("amounts are whole nano-USD (9 decimals), got " + amountUsd);
    }
    long nanos = Money.toNanos(amountUsd);
    LedgerEntry entry = new LedgerEntry("led-" + UUID.randomUUID(), accountId,
        nanos > 0 ? LedgerEntry.Kind.GRANT : LedgerEntry.Kind.ADJUSTMENT, nanos, null, null, note,
        clock.instant());
    return ledger.append(entry).map(StoreCredits::credits);
  }

  static Credits credits(AccountTotals totals) {
    return new Credits(totals.accountId(), Money.toUsd(totals.creditsNanos()), Money.toUsd(totals.usageNanos()));
  }
}

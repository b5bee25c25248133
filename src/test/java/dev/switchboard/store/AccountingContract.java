package dev.switchboard.store;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.OTHER_KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import dev.switchboard.core.Usage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code insertAll} writes besides the records, and the {@link LedgerRepository}, run against
 * each back-end by a subclass ({@code SqliteAccountingTest}, {@code PostgresAccountingTest}).
 */
public abstract class AccountingContract {
  /** A Wednesday; its ISO week started on Monday 2025-11-10, its month on 2025-11-01. */
  private static final Instant WED = Instant.parse("2025-11-12T10:00:00Z");

  private static final String DEFAULT = Database.DEFAULT_ACCOUNT_ID;

  private TestStore store;
  private Database database;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    database = store.open();
  }

  @AfterEach
  void close() {
    // Null when newStore() or open() failed; only that failure should be reported.
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private void insert(GenerationRecord... records) {
    database.generations().insertAll(List.of(records));
  }

  @Test
  void aPricedRecordIsChargedOnceWithItsCountersInItsTransaction() {
    insert(record("gen-1", KEY_HASH, 1_500, WED), record("gen-free", KEY_HASH, 0, WED));

    List<LedgerEntry> entries = database.ledger().entries(DEFAULT, 10);
    assertThat(entries).hasSize(1);
    LedgerEntry charge = entries.getFirst();
    assertThat(charge.kind()).isEqualTo(LedgerEntry.Kind.CHARGE);
    assertThat(charge.amountNanos()).isEqualTo(-1_500);
    assertThat(charge.generationId()).isEqualTo("gen-1");
    assertThat(charge.keyHash()).isEqualTo(KEY_HASH);
    assertThat(charge.createdAt()).isEqualTo(WED);
    assertThat(database.ledger().totals(DEFAULT)).contains(new AccountTotals(DEFAULT, 0, 1_500));
    assertThat(database.keys().usage(KEY_HASH, WED)).isEqualTo(new KeyUsage(1_500, 1_500, 1_500, 1_500));

    // The same generation again fails as a whole: no second charge, counters unchanged.
    assertThatThrownBy(() -> insert(record("gen-1", KEY_HASH, 1_500, WED)))
        .isInstanceOf(StoreException.class);
    assertThat(scalar(database, "SELECT count(*) FROM ledger")).isEqualTo(1);
    assertThat(database.keys().usage(KEY_HASH, WED).totalNanos()).isEqualTo(1_500);
    assertThat(database.ledger().totals(DEFAULT).orElseThrow().usageNanos()).isEqualTo(1_500);
  }

  @Test
  void aFailedBatchLeavesNoAccountingBehind() {
    assertThatThrownBy(
            () ->
                insert(
                    record("gen-a", KEY_HASH, 100, WED),
                    record("gen-a", KEY_HASH, 100, WED)))
        .isInstanceOf(StoreException.class);

    assertThat(scalar(database, "SELECT count(*) FROM generations")).isZero();
    assertThat(scalar(database, "SELECT count(*) FROM ledger")).isZero();
    assertThat(scalar(database, "SELECT count(*) FROM usage_daily")).isZero();
    assertThat(database.keys().usage(KEY_HASH, WED)).isEqualTo(KeyUsage.ZERO);
  }

  @Test
  void windowsStartOverAtUtcMidnightMondayAndTheFirstOfTheMonth() {
    insert(record("gen-oct", KEY_HASH, 1, Instant.parse("2025-10-31T23:59:59.999Z")));
    insert(record("gen-sun", KEY_HASH, 10, Instant.parse("2025-11-09T12:00:00Z")));
    insert(record("gen-mon", KEY_HASH, 100, Instant.parse("2025-11-10T00:00:00Z")));
    insert(record("gen-wed", KEY_HASH, 1_000, WED));

    assertThat(database.keys().usage(KEY_HASH, WED)).isEqualTo(new KeyUsage(1_111, 1_000, 1_100, 1_110));
    // Read on a later day, week or month, a counter of an earlier window is zero.
    assertThat(database.keys().usage(KEY_HASH, Instant.parse("2025-11-13T00:00:00Z")))
        .isEqualTo(new KeyUsage(1_111, 0, 1_100, 1_110));
    assertThat(database.keys().usage(KEY_HASH, Instant.parse("2025-11-17T08:00:00Z")))
        .isEqualTo(new KeyUsage(1_111, 0, 0, 1_110));
    assertThat(database.keys().usage(KEY_HASH, Instant.parse("2025-12-01T00:00:00Z")))
        .isEqualTo(new KeyUsage(1_111, 0, 0, 0));
    assertThat(database.keys().usage(OTHER_KEY_HASH, WED)).isEqualTo(KeyUsage.ZERO);
  }

  @Test
  void aRecordSettledLateCountsInTheTotalButNotInAWindowThatIsOver() {
    insert(record("gen-today", KEY_HASH, 1_000, WED));
    insert(record("gen-yesterday", KEY_HASH, 7, WED.minusSeconds(86_400)));

    assertThat(database.keys().usage(KEY_HASH, WED)).isEqualTo(new KeyUsage(1_007, 1_000, 1_007, 1_007));
  }

  @Test
  void oneBatchSpanningMidnightKeepsTheLaterDay() {
    insert(
        record("gen-late", KEY_HASH, 5, Instant.parse("2025-11-12T00:00:00.001Z")),
        record("gen-early", KEY_HASH, 3, Instant.parse("2025-11-11T23:59:59.999Z")));

    assertThat(database.keys().usage(KEY_HASH, WED)).isEqualTo(new KeyUsage(8, 5, 8, 8));
  }

  @Test
  void activitySumsPerDayModelAndProviderOverKeysOrForOne() {
    GenerationRecord withTokens =
        GenerationRecord.builder("gen-t", KEY_HASH, DEFAULT, "openai/gpt-4o", WED)
            .provider("openai", "gpt-4o")
            .usage(new Usage(100, 20, null, null, 5L, false))
            .costNanos(300)
            .build();
    GenerationRecord failed =
        GenerationRecord.builder("gen-f", OTHER_KEY_HASH, DEFAULT, "openai/gpt-4o", WED)
            .attempts(0)
            .error(503, "nothing to try")
            .build();
    insert(
        withTokens,
        record("gen-o", OTHER_KEY_HASH, 200, WED.plusSeconds(60)),
        failed,
        record("gen-old", KEY_HASH, 50, WED.minusSeconds(86_400)));
    LocalDate day = LocalDate.parse("2025-11-12");

    List<ActivityRow> all = database.generations().activity(day.minusDays(29), day, null);

    assertThat(all)
        .containsExactly(
            new ActivityRow(day, "openai/gpt-4o", null, 1, 0, 0, 0, 0),
            new ActivityRow(day, "openai/gpt-4o", "openai", 2, 100, 20, 5, 500),
            new ActivityRow(day.minusDays(1), "openai/gpt-4o", "openai", 1, 0, 0, 0, 50));
    assertThat(database.generations().activity(day, day, KEY_HASH))
        .containsExactly(new ActivityRow(day, "openai/gpt-4o", "openai", 1, 100, 20, 5, 300));
    assertThat(database.generations().activity(day.plusDays(1), day.plusDays(2), null)).isEmpty();
  }

  @Test
  void grantsAndAdjustmentsMoveTheCreditsRefundsTheUsage() {
    insert(record("gen-1", KEY_HASH, 400, WED));

    AccountTotals granted =
        database
            .ledger()
            .append(entry("led-1", LedgerEntry.Kind.GRANT, 10_000, null, "first top-up"))
            .orElseThrow();
    database.ledger().append(entry("led-2", LedgerEntry.Kind.ADJUSTMENT, -1_000, null, null));
    AccountTotals refunded =
        database.ledger().append(entry("led-3", LedgerEntry.Kind.REFUND, 400, "gen-1", null)).orElseThrow();

    assertThat(granted).isEqualTo(new AccountTotals(DEFAULT, 10_000, 400));
    assertThat(refunded).isEqualTo(new AccountTotals(DEFAULT, 9_000, 0));
    assertThat(refunded.balanceNanos()).isEqualTo(9_000);
    assertThat(database.ledger().entries(DEFAULT, 10))
        .extracting(LedgerEntry::id)
        .containsExactly("led-3", "led-2", "led-1", "chg-gen-1");
    // The totals are a cache of the ledger, and agree with it.
    assertThat(scalar(database, "SELECT SUM(amount_nanos) FROM ledger"))
        .isEqualTo(refunded.balanceNanos());
    // A second refund of the same generation is refused like a second charge.
    assertThatThrownBy(
            () -> database.ledger().append(entry("led-4", LedgerEntry.Kind.REFUND, 400, "gen-1", null)))
        .isInstanceOf(StoreException.class);
    assertThat(database.ledger().totals(DEFAULT).orElseThrow()).isEqualTo(refunded);
  }

  @Test
  void accountsAreCreatedAndUnknownOnesTakeNoEntries() {
    database.ledger().createAccount("team-a", "Team A", WED);

    assertThat(database.ledger().accounts())
        .containsExactly(new AccountTotals(DEFAULT, 0, 0), new AccountTotals("team-a", 0, 0));
    assertThat(
            database
                .ledger()
                .append(
                    new LedgerEntry(
                        "led-x", "nobody", LedgerEntry.Kind.GRANT, 5, null, null, null, WED)))
        .isEmpty();
    assertThat(scalar(database, "SELECT count(*) FROM ledger")).isZero();
    assertThat(database.ledger().totals("nobody")).isEmpty();
    assertThatThrownBy(() -> database.ledger().createAccount("team-a", "again", WED))
        .isInstanceOf(StoreException.class);
  }

  private static LedgerEntry entry(
      String id, LedgerEntry.Kind kind, long amount, String generationId, String note) {
    return new LedgerEntry(id, DEFAULT, kind, amount, generationId, null, note, WED);
  }
}

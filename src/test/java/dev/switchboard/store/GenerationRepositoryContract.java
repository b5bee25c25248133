package dev.switchboard.store;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.OTHER_KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link GenerationRepository} does, run against each back-end by a subclass ({@code
 * SqliteGenerationRepositoryTest}, {@code PostgresGenerationRepositoryTest}).
 */
public abstract class GenerationRepositoryContract {
  private static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");

  private TestStore store;
  private Database database;
  private GenerationRepository generations;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    database = store.open();
    generations = database.generations();
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

  @Test
  void findReturnsEveryFieldAsWritten() {
    GenerationRecord full =
        GenerationRecord.builder(
                "gen-full",
                KEY_HASH,
                Database.DEFAULT_ACCOUNT_ID,
                "anthropic/claude-sonnet-4.5",
                T0)
            .provider("anthropic", "claude-sonnet-4-5-20250929")
            .upstreamId("msg_01")
            .finishReason(FinishReason.TOOL_CALLS, "tool_use")
            .streamed(true)
            .usage(new Usage(1200, 340, 1000L, 200L, 0L, true))
            .costNanos(8_712_345L)
            .latency(2_345, 412L)
            .attempts(2)
            .build();
    GenerationRecord failed =
        GenerationRecord.builder(
                "gen-failed", KEY_HASH, Database.DEFAULT_ACCOUNT_ID, "openai/gpt-4o", T0)
            .attempts(0)
            .error(503, "no endpoint could take the request")
            .build();

    generations.insertAll(List.of(full, failed));

    assertThat(generations.find("gen-full")).contains(full);
    assertThat(generations.find("gen-failed")).contains(failed);
    assertThat(generations.find("gen-failed").orElseThrow().usage().cachedTokens()).isNull();
    assertThat(generations.find("gen-missing")).isEmpty();
  }

  @Test
  void usageSinceSumsOneKeysCostsFromTheInstantOn() {
    generations.insertAll(
        List.of(
            record("gen-1", KEY_HASH, 100, T0.minusMillis(1)),
            record("gen-2", KEY_HASH, 20, T0),
            record("gen-3", KEY_HASH, 3, T0.plusSeconds(3600)),
            record("gen-4", OTHER_KEY_HASH, 5_000, T0.plusSeconds(1))));

    assertThat(generations.usageSince(KEY_HASH, T0)).isEqualTo(23);
    assertThat(generations.usageSince(KEY_HASH, T0.minusSeconds(1))).isEqualTo(123);
    assertThat(generations.usageSince(OTHER_KEY_HASH, T0)).isEqualTo(5_000);
    assertThat(generations.usageSince("c".repeat(64), T0)).isZero();
  }

  @Test
  void oneBatchMaySpanMonthsAndUsageSumsAcrossThem() {
    // On PostgreSQL each of these months is its own partition.
    Instant october = Instant.parse("2025-10-31T23:59:59.999Z");
    Instant november = Instant.parse("2025-11-30T12:00:00Z");
    Instant december = Instant.parse("2025-12-01T00:00:00Z");
    Instant january = Instant.parse("2026-01-15T08:30:00Z");
    generations.insertAll(
        List.of(
            record("gen-oct", KEY_HASH, 1, october),
            record("gen-nov", KEY_HASH, 10, november),
            record("gen-dec", KEY_HASH, 100, december),
            record("gen-jan", KEY_HASH, 1_000, january)));

    assertThat(generations.find("gen-oct").orElseThrow().createdAt()).isEqualTo(october);
    assertThat(generations.find("gen-jan").orElseThrow().createdAt()).isEqualTo(january);
    assertThat(generations.usageSince(KEY_HASH, october)).isEqualTo(1_111);
    assertThat(generations.usageSince(KEY_HASH, T0)).isEqualTo(1_110);
    assertThat(generations.usageSince(KEY_HASH, december)).isEqualTo(1_100);
    assertThat(generations.usageSince(KEY_HASH, january.plusMillis(1))).isZero();
  }

  @Test
  void aLargeBatchIsStoredWhole() {
    List<GenerationRecord> batch = new ArrayList<>();
    long expected = 0;
    for (int i = 0; i < GenerationWriter.DEFAULT_MAX_BATCH; i++) {
      batch.add(record("gen-" + i, KEY_HASH, i, T0.plusMillis(i)));
      expected += i;
    }

    generations.insertAll(batch);

    assertThat(scalar(database, "SELECT count(*) FROM generations"))
        .isEqualTo(GenerationWriter.DEFAULT_MAX_BATCH);
    assertThat(generations.usageSince(KEY_HASH, T0)).isEqualTo(expected);
    assertThat(generations.find("gen-999")).contains(batch.getLast());
  }

  @Test
  void anEmptyBatchWritesNothing() {
    generations.insertAll(List.of());

    assertThat(scalar(database, "SELECT count(*) FROM generations")).isZero();
  }

  @Test
  void aBatchIsStoredWhollyOrNotAtAll() {
    generations.insertAll(List.of(record("gen-dup", KEY_HASH, 1, T0)));

    assertThatThrownBy(
            () ->
                generations.insertAll(
                    List.of(
                        record("gen-new", KEY_HASH, 1, T0), record("gen-dup", KEY_HASH, 1, T0))))
        .isInstanceOf(StoreException.class)
        .message()
        .containsIgnoringCase("unique");

    assertThat(generations.find("gen-new")).isEmpty();
    assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(1);
  }
}

package dev.switchboard.store;

import static dev.switchboard.store.TestStores.scalar;
import static dev.switchboard.store.TestStores.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link Database#open} guarantees on every back-end: migrations applied once, however many
 * processes open a fresh database at the same moment. Subclasses: {@code SqliteDatabaseTest},
 * {@code PostgresDatabaseTest}, which add their back-end's own checks.
 */
public abstract class DatabaseContract {
  /** The migrations each back-end has: each must be applied exactly once. */
  private static final long MIGRATIONS = 3;

  private TestStore store;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  protected final TestStore store() {
    return store;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void removeStore() {
    if (store != null) { // null when newStore() failed; only that failure should be reported
      store.close();
    }
  }

  @Test
  void appliesTheMigrationsAndCreatesTheDefaultAccount() {
    try (Database database = store.open()) {
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history WHERE success"))
          .isEqualTo(MIGRATIONS);
      assertThat(
              text(
                  database,
                  "SELECT version FROM flyway_schema_history WHERE success"
                      + " ORDER BY installed_rank DESC LIMIT 1"))
          .isEqualTo("5");
      assertThat(text(database, "SELECT name FROM accounts WHERE id = 'default'"))
          .isEqualTo("Default");
      assertThat(scalar(database, "SELECT count(*) FROM api_keys")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM generations")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM ledger")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM key_usage")).isZero();
      assertThat(scalar(database, "SELECT count(*) FROM usage_daily")).isZero();
    }
  }

  @Test
  void reopeningAMigratedDatabaseAppliesNothingTwice() {
    store.open().close();
    try (Database database = store.open()) {
      assertThat(scalar(database, "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(MIGRATIONS);
      assertThat(scalar(database, "SELECT count(*) FROM accounts")).isEqualTo(1);
    }
  }

  @Test
  void databasesOpenedAtOnceOnAFreshDatabaseMigrateItOnce() throws Exception {
    int openers = 4;
    CyclicBarrier start = new CyclicBarrier(openers);
    List<Database> opened = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Database>> futures = new ArrayList<>();
      for (int i = 0; i < openers; i++) {
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  return store.open();
                }));
      }
      for (Future<Database> future : futures) {
        opened.add(future.get());
      }
    }
    try {
      assertThat(scalar(opened.getFirst(), "SELECT count(*) FROM flyway_schema_history"))
          .isEqualTo(MIGRATIONS);
      // A write through one is visible through the others.
      opened
          .get(1)
          .generations()
          .insertAll(List.of(TestStores.record("gen-1", TestStores.KEY_HASH, 7, Instant.now())));
      assertThat(opened.get(2).generations().find("gen-1")).isPresent();
    } finally {
      opened.forEach(Database::close);
    }
  }

  @Test
  void isReachableUntilClosed() {
    Database database = store.open();
    assertThat(database.isReachable()).isTrue();

    database.close();

    assertThat(database.isReachable()).isFalse();
  }

  @Test
  void ensurePartitionsIsIdempotent() {
    try (Database database = store.open()) {
      Instant now = Instant.now();
      database.ensurePartitions(now);
      database.ensurePartitions(now);
      database.generations().insertAll(List.of(TestStores.record("gen-1", "a".repeat(64), 1, now)));
      assertThat(database.generations().find("gen-1")).isPresent();
    }
  }
}

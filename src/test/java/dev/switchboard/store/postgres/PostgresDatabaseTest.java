package dev.switchboard.store.postgres;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static dev.switchboard.store.TestStores.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.config.PostgresUrl;
import dev.switchboard.store.Database;
import dev.switchboard.store.DatabaseContract;
import dev.switchboard.store.KeyUsage;
import dev.switchboard.store.RequiresPostgres;
import dev.switchboard.store.TestPostgres;
import dev.switchboard.store.TestStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabaseContract} on a fresh PostgreSQL schema, plus what is PostgreSQL's own: the
 * schema lands in the url's {@code currentSchema}, and {@code generations} is partitioned by month.
 */
@RequiresPostgres
class PostgresDatabaseTest extends DatabaseContract {
  @Override
  protected TestStore newStore() {
    return TestPostgres.freshSchema();
  }

  @Test
  void createsTheSchemaInTheUrlsSchemaWithGenerationsPartitioned() {
    try (Database database = store().open()) {
      String schema = text(database, "SELECT current_schema()");
      assertThat(schema).startsWith("sb_test_");
      assertThat(
              scalar(
                  database,
                  "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
                      + " AND tablename IN ('accounts', 'api_keys', 'generations',"
                      + " 'flyway_schema_history')"))
          .isEqualTo(4);
      assertThat(
              text(
                  database,
                  "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                      + " WHERE n.nspname = current_schema() AND c.relname = 'generations'"))
          .isEqualTo("p"); // a partitioned table
    }
  }

  @Test
  void openingCreatesThisMonthsPartitionAndTheNextThree() {
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    try (Database database = store().open()) {
      // Read after open, so a month that began in between shows as one more partition, not less.
      assertThat(partitions(database))
          .contains(
              GenerationPartitions.name(now),
              GenerationPartitions.name(now.plusMonths(1)),
              GenerationPartitions.name(now.plusMonths(2)),
              GenerationPartitions.name(now.plusMonths(GenerationPartitions.MONTHS_AHEAD)))
          .hasSizeBetween(
              GenerationPartitions.MONTHS_AHEAD + 1, GenerationPartitions.MONTHS_AHEAD + 2);
    }
  }

  @Test
  void ensurePartitionsCreatesMonthsAheadOfTheGivenInstantWithExactBounds() {
    try (Database database = store().open()) {
      database.ensurePartitions(Instant.parse("2031-12-31T23:59:59.999Z"));
      database.ensurePartitions(Instant.parse("2031-12-01T00:00:00Z"));

      assertThat(partitions(database))
          .contains(
              "generations_y2031m12",
              "generations_y2032m01",
              "generations_y2032m02",
              "generations_y2032m03")
          .doesNotContain("generations_y2031m11", "generations_y2032m04");
      assertThat(
              text(
                  database,
                  "SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c"
                      + " WHERE c.oid = to_regclass('generations_y2032m01')"))
          .isEqualTo(
              "FOR VALUES FROM ('"
                  + Instant.parse("2032-01-01T00:00:00Z").toEpochMilli()
                  + "') TO ('"
                  + Instant.parse("2032-02-01T00:00:00Z").toEpochMilli()
                  + "')");
    }
  }

  @Test
  void aRecordInAMonthWithoutAPartitionGetsOneOnDemand() {
    Instant longAgo = Instant.parse("1999-05-17T10:00:00Z");
    try (Database database = store().open()) {
      assertThat(partitions(database)).doesNotContain("generations_y1999m05");

      database.generations().insertAll(List.of(record("gen-old", KEY_HASH, 5, longAgo)));

      assertThat(partitions(database)).contains("generations_y1999m05");
      assertThat(database.generations().find("gen-old")).isPresent();
    }
  }

  @Test
  void retentionIsDroppingAMonthsPartition() {
    Instant october = Instant.parse("2025-10-10T00:00:00Z");
    Instant november = Instant.parse("2025-11-10T00:00:00Z");
    try (Database database = store().open()) {
      database
          .generations()
          .insertAll(
              List.of(
                  record("gen-oct", KEY_HASH, 1, october),
                  record("gen-nov", KEY_HASH, 10, november)));

      execute(database, "DROP TABLE generations_y2025m10");

      assertThat(database.generations().find("gen-oct")).isEmpty();
      assertThat(database.generations().find("gen-nov")).isPresent();
      assertThat(database.generations().usageSince(KEY_HASH, october)).isEqualTo(10);
    }
  }

  @Test
  void processesCreatingTheSamePartitionsAtOnceAllSucceed() throws Exception {
    int processes = 4;
    List<Database> opened = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      opened.add(store().open());
    }
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CyclicBarrier start = new CyclicBarrier(processes);
      List<Future<?>> runs = new ArrayList<>();
      for (Database database : opened) {
        runs.add(
            threads.submit(
                () -> {
                  start.await();
                  database.ensurePartitions(Instant.parse("2040-06-15T00:00:00Z"));
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get(); // throws if any creation failed
      }
      assertThat(partitions(opened.getFirst()))
          .contains("generations_y2040m06", "generations_y2040m09");
    } finally {
      opened.forEach(Database::close);
    }
  }

  /** The partitions of {@code generations} in the current schema. */
  private static List<String> partitions(Database database) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = to_regclass('generations') ORDER BY c.relname")) {
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void execute(Database database, String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void migrationTwoAccountsForWhatAVersionOneDatabaseHadRecorded() throws Exception {
    Instant now = Instant.now();
    Instant old = now.minusSeconds(40L * 86_400);
    try (HikariDataSource pool =
        PostgresPool.open(PostgresUrl.parse(store().config().url(), System.getenv()))) {
      Flyway.configure()
          .dataSource(pool)
          .locations("classpath:db/migration/postgresql")
          .target("1")
          .load()
          .migrate();
      PostgresGenerationRepository partitions = new PostgresGenerationRepository(pool);
      partitions.ensurePartitions(old);
      partitions.ensurePartitions(now);
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        // Written with plain SQL: the V2 repository would also write the V2 tables.
        for (String[] row :
            new String[][] {
              {"gen-1", "a", "700", String.valueOf(now.toEpochMilli())},
              {"gen-2", "a", "0", String.valueOf(now.toEpochMilli())},
              {"gen-3", "b", "50", String.valueOf(old.toEpochMilli())}
            }) {
          statement.executeUpdate(
              "INSERT INTO generations (id, key_hash, account_id, model, provider, status, streamed,"
                  + " prompt_tokens, completion_tokens, usage_estimated, cost_nanos, latency_ms,"
                  + " attempts, created_at) VALUES ('"
                  + row[0]
                  + "', '"
                  + row[1].repeat(64)
                  + "', 'default', 'openai/gpt-4o', 'openai', 'success', FALSE, 10, 2, FALSE, "
                  + row[2]
                  + ", 5, 1, "
                  + row[3]
                  + ")");
        }
      }
    }

    try (Database database = store().open()) {
      assertThat(scalar(database, "SELECT count(*) FROM ledger WHERE kind = 'charge'")).isEqualTo(2);
      assertThat(database.ledger().totals(Database.DEFAULT_ACCOUNT_ID).orElseThrow().usageNanos())
          .isEqualTo(750);
      // The windows computed by PostgreSQL's date functions are the ones the application uses.
      assertThat(database.keys().usage("a".repeat(64), now)).isEqualTo(new KeyUsage(700, 700, 700, 700));
      assertThat(database.keys().usage("b".repeat(64), now).totalNanos()).isEqualTo(50);
      assertThat(database.keys().usage("b".repeat(64), now).monthlyNanos()).isZero();
      assertThat(scalar(database, "SELECT SUM(requests) FROM usage_daily")).isEqualTo(3);
    }
  }
}

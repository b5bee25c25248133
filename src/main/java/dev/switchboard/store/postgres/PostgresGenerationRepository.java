package dev.switchboard.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.store.AccountingWrites;
import dev.switchboard.store.ActivityRow;
import dev.switchboard.store.GenerationReads;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.InFlightWrites;
import dev.switchboard.store.Jdbc;
import dev.switchboard.store.WriteBatch;
import dev.switchboard.store.WriteConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * {@link GenerationRepository} on the partitioned {@code generations} table. Thread-safe.
 *
 * <p>Group commit, PostgreSQL style: {@link #insertAll} sends a whole batch from the {@code
 * GenerationWriter} as <em>one</em> statement, {@code INSERT … SELECT * FROM unnest($1::text[],
 * …)}, with one array per column: one round trip and one parse for up to {@code
 * GenerationWriter.DEFAULT_MAX_BATCH} records. The batch's accounting ({@link AccountingWrites}:
 * charges, account and key counters, daily rollup) follows in the same transaction, so there is
 * one commit (one WAL flush) per batch and records and their charges are stored together or not
 * at all.
 *
 * <p>Reads: {@link #usageSince} bounds {@code created_at}, so only the partitions from that month
 * on are scanned. {@link #find} knows only the id, so it probes the primary-key index of every
 * partition: one index lookup per month kept.
 */
public final class PostgresGenerationRepository implements GenerationRepository {
  /** A column: its name, its PostgreSQL array element type, and the value a record gives it. */
  private record Column(
      String name, String type, Function<GenerationRecord, @Nullable Object> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("id", "text", GenerationRecord::id),
          new Column("key_hash", "text", GenerationRecord::keyHash),
          new Column("account_id", "text", GenerationRecord::accountId),
          new Column("model", "text", GenerationRecord::model),
          new Column("provider", "text", GenerationRecord::provider),
          new Column("provider_model", "text", GenerationRecord::providerModel),
          new Column("upstream_id", "text", GenerationRecord::upstreamId),
          new Column("status", "text", record -> record.status().wireName()),
          new Column("finish_reason", "text", PostgresGenerationRepository::finishReason),
          new Column("native_finish_reason", "text", GenerationRecord::nativeFinishReason),
          new Column("streamed", "bool", GenerationRecord::streamed),
          new Column("prompt_tokens", "int8", record -> record.usage().promptTokens()),
          new Column("completion_tokens", "int8", record -> record.usage().completionTokens()),
          new Column("cached_tokens", "int8", record -> record.usage().cachedTokens()),
          new Column("cache_write_tokens", "int8", record -> record.usage().cacheWriteTokens()),
          new Column("reasoning_tokens", "int8", record -> record.usage().reasoningTokens()),
          new Column("usage_estimated", "bool", record -> record.usage().estimated()),
          new Column("cost_nanos", "int8", GenerationRecord::costNanos),
          new Column("latency_ms", "int8", GenerationRecord::latencyMs),
          new Column("first_token_ms", "int8", GenerationRecord::firstTokenMs),
          new Column("attempts", "int4", GenerationRecord::attempts),
          new Column("error_code", "int4", GenerationRecord::errorCode),
          new Column("error_message", "text", GenerationRecord::errorMessage),
          new Column("created_at", "int8", record -> record.createdAt().toEpochMilli()),
          new Column("recovered", "bool", GenerationRecord::recovered),
          new Column("byok", "bool", GenerationRecord::byok));

  private static final String NAMES =
      COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));

  private static final String INSERT =
      "INSERT INTO generations ("
          + NAMES
          + ") SELECT * FROM unnest("
          + COLUMNS.stream()
              .map(column -> "?::" + column.type() + "[]")
              .collect(Collectors.joining(", "))
          + ")";

  private final DataSource dataSource;
  private final WriteConnection writes;
  private final GenerationReads reads;
  private final GenerationPartitions partitions;

  public PostgresGenerationRepository(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.reads = new GenerationReads(dataSource);
    this.partitions = new GenerationPartitions(dataSource);
    this.writes = WriteConnection.jdbc(dataSource);
  }

  /**
   * Creates the monthly partitions of {@code generations} for {@code now}'s UTC month and the next
   * {@value GenerationPartitions#MONTHS_AHEAD}, where missing. Idempotent and safe to run from
   * several processes at once; the gateway runs it when the database is opened and daily.
   *
   * @throws dev.switchboard.store.StoreException if a partition cannot be created
   */
  public void ensurePartitions(Instant now) {
    partitions.ensureAhead(now);
  }

  @Override
  public void close() {
    writes.close();
  }

  @Override
  public Set<String> commit(WriteBatch given) {
    if (given.isEmpty()) {
      return Set.of();
    }
    // A PostgreSQL node journals in the table, so it writes no file-journaled records; were it given
    // some, claiming them (no row: stored unless stored) gives the same answer.
    WriteBatch batch = given.fileJournaled().isEmpty() ? given : new WriteBatch(given.started(),
        Stream.concat(given.settled().stream(), given.fileJournaled().stream()).toList(), given.unjournaled());
    batch.settled().stream().map(GenerationRecord::createdAt).forEach(partitions::ensureFor);
    batch.unjournaled().stream().map(GenerationRecord::createdAt).forEach(partitions::ensureFor);
    return writes.transaction(
        "committing " + batch.started().size() + " journal rows and "
            + (batch.settled().size() + batch.unjournaled().size()) + " generation records",
        (connection, statements) -> {
          if (batch.settled().isEmpty() && batch.unjournaled().isEmpty()) {
            // Journal rows only: no money moves in this commit, so it need not wait for the WAL
            // flush (about 2 ms here). A gateway crash cannot lose it (the server has it); a crash of
            // PostgreSQL itself can lose the last fraction of a second of them, which costs only
            // recovery of those requests, never a charge (InFlightWrites.claim).
            try (var statement = connection.createStatement()) {
              statement.execute("SET LOCAL synchronous_commit TO OFF");
            }
          }
          InFlightWrites.start(statements, batch.started());
          Set<String> claimed = InFlightWrites.claim(connection, statements, batch.settled());
          List<GenerationRecord> records = new ArrayList<>(batch.unjournaled());
          Set<String> dropped = new HashSet<>();
          for (GenerationRecord record : batch.settled()) {
            if (claimed.contains(record.id())) {
              records.add(record);
            } else {
              dropped.add(record.id());
            }
          }
          if (!records.isEmpty()) {
            PreparedStatement statement = statements.prepare(INSERT);
            bindColumns(connection, statement, records);
            statement.executeUpdate();
            AccountingWrites.apply(statements, records);
          }
          return dropped;
        });
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return reads.find(id);
  }

  @Override
  public long usageSince(String keyHash, Instant since) {
    return reads.usageSince(keyHash, since);
  }

  @Override
  public List<ActivityRow> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
    return reads.activity(from, to, keyHash);
  }

  private static void bindColumns(
      Connection connection, PreparedStatement statement, List<GenerationRecord> records)
      throws SQLException {
    for (int i = 0; i < COLUMNS.size(); i++) {
      Column column = COLUMNS.get(i);
      @Nullable Object[] values = new Object[records.size()];
      for (int row = 0; row < values.length; row++) {
        values[row] = column.value().apply(records.get(row));
      }
      statement.setArray(i + 1, connection.createArrayOf(column.type(), values));
    }
  }

  private static @Nullable String finishReason(GenerationRecord record) {
    FinishReason finish = record.finishReason();
    return finish == null ? null : finish.wireName();
  }
}

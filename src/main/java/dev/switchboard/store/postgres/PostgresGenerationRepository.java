package dev.switchboard.store.postgres;

import static dev.switchboard.store.postgres.Jdbc.nullableInt;
import static dev.switchboard.store.postgres.Jdbc.nullableLong;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import dev.switchboard.store.AccountingWrites;
import dev.switchboard.store.ActivityRow;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.UsageWindows;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
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
          new Column("created_at", "int8", record -> record.createdAt().toEpochMilli()));

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
  private final GenerationPartitions partitions;

  public PostgresGenerationRepository(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.partitions = new GenerationPartitions(dataSource);
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
  public void insertAll(List<GenerationRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    records.stream().map(GenerationRecord::createdAt).forEach(partitions::ensureFor);
    Jdbc.transaction(
        dataSource,
        "inserting " + records.size() + " generation records",
        connection -> {
          try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            bindColumns(connection, statement, records);
            statement.executeUpdate();
          }
          AccountingWrites.apply(connection, records);
          return records.size();
        });
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return Jdbc.query(
        dataSource,
        "finding a generation",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT " + NAMES + " FROM generations WHERE id = ?")) {
            statement.setString(1, id);
            try (ResultSet rows = statement.executeQuery()) {
              return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public long usageSince(String keyHash, Instant since) {
    return Jdbc.query(
        dataSource,
        "summing key usage",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT COALESCE(SUM(cost_nanos), 0) FROM generations"
                      + " WHERE key_hash = ? AND created_at >= ?")) {
            statement.setString(1, keyHash);
            statement.setLong(2, since.toEpochMilli());
            try (ResultSet rows = statement.executeQuery()) {
              rows.next();
              return rows.getLong(1);
            }
          }
        });
  }

  @Override
  public List<ActivityRow> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
    return Jdbc.query(
        dataSource,
        "reading activity",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT day, model, provider, SUM(requests), SUM(prompt_tokens),"
                      + " SUM(completion_tokens), SUM(reasoning_tokens), SUM(cost_nanos)"
                      + " FROM usage_daily WHERE day >= ? AND day <= ?"
                      + (keyHash == null ? "" : " AND key_hash = ?")
                      + " GROUP BY day, model, provider ORDER BY day DESC, model, provider")) {
            statement.setLong(1, UsageWindows.millis(from));
            statement.setLong(2, UsageWindows.millis(to));
            if (keyHash != null) {
              statement.setString(3, keyHash);
            }
            try (ResultSet rows = statement.executeQuery()) {
              List<ActivityRow> result = new ArrayList<>();
              while (rows.next()) {
                String provider = rows.getString(3);
                result.add(
                    new ActivityRow(
                        LocalDate.ofInstant(Instant.ofEpochMilli(rows.getLong(1)), ZoneOffset.UTC),
                        rows.getString(2),
                        provider.isEmpty() ? null : provider,
                        rows.getLong(4),
                        rows.getLong(5),
                        rows.getLong(6),
                        rows.getLong(7),
                        rows.getLong(8)));
              }
              return List.copyOf(result);
            }
          }
        });
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

  private static GenerationRecord read(ResultSet rows) throws SQLException {
    @Nullable String finish = rows.getString("finish_reason");
    Usage usage =
        new Usage(
            rows.getLong("prompt_tokens"),
            rows.getLong("completion_tokens"),
            nullableLong(rows, "cached_tokens"),
            nullableLong(rows, "cache_write_tokens"),
            nullableLong(rows, "reasoning_tokens"),
            rows.getBoolean("usage_estimated"));
    return new GenerationRecord(
        rows.getString("id"),
        rows.getString("key_hash"),
        rows.getString("account_id"),
        rows.getString("model"),
        rows.getString("provider"),
        rows.getString("provider_model"),
        rows.getString("upstream_id"),
        GenerationRecord.Status.parse(rows.getString("status")),
        finish == null ? null : FinishReason.valueOf(finish.toUpperCase(Locale.ROOT)),
        rows.getString("native_finish_reason"),
        rows.getBoolean("streamed"),
        usage,
        rows.getLong("cost_nanos"),
        rows.getLong("latency_ms"),
        nullableLong(rows, "first_token_ms"),
        rows.getInt("attempts"),
        nullableInt(rows, "error_code"),
        rows.getString("error_message"),
        Jdbc.instant(rows, "created_at"));
  }
}

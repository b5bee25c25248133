package dev.switchboard.store.sqlite;

import static dev.switchboard.store.sqlite.Jdbc.nullableInt;
import static dev.switchboard.store.sqlite.Jdbc.nullableLong;
import static dev.switchboard.store.sqlite.Jdbc.setNullableLong;
import static dev.switchboard.store.sqlite.Jdbc.setNullableString;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import dev.switchboard.store.AccountingWrites;
import dev.switchboard.store.ActivityRow;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.InFlightWrites;
import dev.switchboard.store.UsageWindows;
import dev.switchboard.store.WriteBatch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** {@link GenerationRepository} on the {@code generations} table. Thread-safe. */
public final class SqliteGenerationRepository implements GenerationRepository {
  private static final String COLUMNS =
      "id, key_hash, account_id, model, provider, provider_model, upstream_id, status,"
          + " finish_reason, native_finish_reason, streamed, prompt_tokens, completion_tokens,"
          + " cached_tokens, cache_write_tokens, reasoning_tokens, usage_estimated, cost_nanos,"
          + " latency_ms, first_token_ms, attempts, error_code, error_message, created_at, recovered, byok";

  private static final String INSERT =
      "INSERT INTO generations ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final DataSource dataSource;

  public SqliteGenerationRepository(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Set<String> commit(WriteBatch batch) {
    if (batch.isEmpty()) {
      return Set.of();
    }
    return Jdbc.transaction(
        dataSource,
        "committing " + batch.started().size() + " journal rows and "
            + (batch.settled().size() + batch.unjournaled().size()) + " generation records",
        connection -> {
          InFlightWrites.start(connection, batch.started());
          Set<String> claimed = InFlightWrites.claim(connection, batch.settled());
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
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
              for (GenerationRecord record : records) {
                bind(statement, record);
                statement.addBatch();
              }
              statement.executeBatch();
            }
            AccountingWrites.apply(connection, records);
          }
          return dropped;
        });
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return Jdbc.query(
        dataSource,
        "finding a generation",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT " + COLUMNS + " FROM generations WHERE id = ?")) {
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

  private static void bind(PreparedStatement statement, GenerationRecord record)
      throws SQLException {
    Usage usage = record.usage();
    FinishReason finish = record.finishReason();
    statement.setString(1, record.id());
    statement.setString(2, record.keyHash());
    statement.setString(3, record.accountId());
    statement.setString(4, record.model());
    setNullableString(statement, 5, record.provider());
    setNullableString(statement, 6, record.providerModel());
    setNullableString(statement, 7, record.upstreamId());
    statement.setString(8, record.status().wireName());
    setNullableString(statement, 9, finish == null ? null : finish.wireName());
    setNullableString(statement, 10, record.nativeFinishReason());
    statement.setBoolean(11, record.streamed());
    statement.setLong(12, usage.promptTokens());
    statement.setLong(13, usage.completionTokens());
    setNullableLong(statement, 14, usage.cachedTokens());
    setNullableLong(statement, 15, usage.cacheWriteTokens());
    setNullableLong(statement, 16, usage.reasoningTokens());
    statement.setBoolean(17, usage.estimated());
    statement.setLong(18, record.costNanos());
    statement.setLong(19, record.latencyMs());
    setNullableLong(statement, 20, record.firstTokenMs());
    statement.setInt(21, record.attempts());
    Integer errorCode = record.errorCode();
    if (errorCode == null) {
      statement.setNull(22, Types.INTEGER);
    } else {
      statement.setInt(22, errorCode);
    }
    setNullableString(statement, 23, record.errorMessage());
    statement.setLong(24, record.createdAt().toEpochMilli());
    statement.setBoolean(25, record.recovered());
    statement.setBoolean(26, record.byok());
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
        Jdbc.instant(rows, "created_at"),
        rows.getBoolean("recovered"),
        rows.getBoolean("byok"));
  }
}

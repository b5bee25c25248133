package dev.switchboard.store;

import static dev.switchboard.store.Jdbc.nullableInt;
import static dev.switchboard.store.Jdbc.nullableLong;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
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
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The reads of {@link GenerationRepository}, whose SQL is the same on SQLite and PostgreSQL: both
 * back-ends' repositories delegate here and differ only in how they insert. Thread-safe.
 */
public final class GenerationReads {
  /** Every column of {@code generations}, in the order {@link #read} expects. */
  public static final String COLUMNS =
      "id, key_hash, account_id, model, provider, provider_model, upstream_id, status,"
          + " finish_reason, native_finish_reason, streamed, prompt_tokens, completion_tokens,"
          + " cached_tokens, cache_write_tokens, reasoning_tokens, usage_estimated, cost_nanos,"
          + " latency_ms, first_token_ms, attempts, error_code, error_message, created_at, recovered, byok";

  private final DataSource dataSource;

  public GenerationReads(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /** {@link GenerationRepository#find}. */
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

  /** {@link GenerationRepository#usageSince}. */
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

  /** {@link GenerationRepository#activity}. */
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

  /** The record on the current row of a {@code SELECT} of {@link #COLUMNS}. */
  public static GenerationRecord read(ResultSet rows) throws SQLException {
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

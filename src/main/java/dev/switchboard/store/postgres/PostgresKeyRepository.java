package dev.switchboard.store.postgres;

import static dev.switchboard.store.Jdbc.millis;
import static dev.switchboard.store.Jdbc.nullableInstant;
import static dev.switchboard.store.Jdbc.nullableLong;
import static java.util.Objects.requireNonNull;

import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Jdbc;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.KeyRepository;
import dev.switchboard.store.KeyUsage;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.UsageWindows;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** {@link KeyRepository} on the {@code api_keys} table. Thread-safe; caches nothing. */
public final class PostgresKeyRepository implements KeyRepository {
  private static final String COLUMNS =
      "hash, account_id, name, label, kind, disabled, limit_usd_nanos, limit_reset, expires_at,"
          + " created_at, updated_at, last_used_at";

  private final DataSource dataSource;

  public PostgresKeyRepository(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  @Override
  public void insert(ApiKey key) {
    Jdbc.query(
        dataSource,
        "inserting key " + key.label(),
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "INSERT INTO api_keys ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            LimitReset reset = key.limitReset();
            statement.setString(1, key.hash());
            statement.setString(2, key.accountId());
            statement.setString(3, key.name());
            statement.setString(4, key.label());
            statement.setString(5, key.kind().wireName());
            statement.setBoolean(6, key.disabled());
            // setObject with an explicit type binds SQL NULL for null, with no setNull branches.
            statement.setObject(7, key.limitNanos(), Types.BIGINT);
            statement.setObject(8, reset == null ? null : reset.wireName(), Types.VARCHAR);
            statement.setObject(9, millis(key.expiresAt()), Types.BIGINT);
            statement.setLong(10, key.createdAt().toEpochMilli());
            statement.setLong(11, key.updatedAt().toEpochMilli());
            statement.setObject(12, millis(key.lastUsedAt()), Types.BIGINT);
            return statement.executeUpdate();
          }
        });
  }

  @Override
  public Optional<ApiKey> find(String hash) {
    return Jdbc.query(
        dataSource,
        "finding a key",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement("SELECT " + COLUMNS + " FROM api_keys WHERE hash = ?")) {
            statement.setString(1, hash);
            try (ResultSet rows = statement.executeQuery()) {
              return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<ApiKey> list() {
    return Jdbc.query(
        dataSource,
        "listing keys",
        connection -> {
          try (PreparedStatement statement =
                  connection.prepareStatement(
                      "SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, hash");
              ResultSet rows = statement.executeQuery()) {
            List<ApiKey> keys = new ArrayList<>();
            while (rows.next()) {
              keys.add(read(rows));
            }
            return List.copyOf(keys);
          }
        });
  }

  @Override
  public List<ApiKey> page(int offset, int limit, boolean includeDisabled) {
    if (offset < 0 || limit < 0) {
      throw new IllegalArgumentException("offset and limit must not be negative");
    }
    return Jdbc.query(
        dataSource,
        "listing keys",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM api_keys"
                      + (includeDisabled ? "" : " WHERE NOT disabled")
                      + " ORDER BY created_at, hash LIMIT ? OFFSET ?")) {
            statement.setInt(1, limit);
            statement.setInt(2, offset);
            try (ResultSet rows = statement.executeQuery()) {
              List<ApiKey> keys = new ArrayList<>();
              while (rows.next()) {
                keys.add(read(rows));
              }
              return List.copyOf(keys);
            }
          }
        });
  }

  @Override
  public boolean update(ApiKey key) {
    return Jdbc.query(
        dataSource,
        "updating key " + key.label(),
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "UPDATE api_keys SET name = ?, disabled = ?, limit_usd_nanos = ?,"
                      + " limit_reset = ?, expires_at = ?, updated_at = ? WHERE hash = ?")) {
            statement.setString(1, key.name());
            statement.setBoolean(2, key.disabled());
            statement.setObject(3, key.limitNanos(), Types.BIGINT);
            LimitReset reset = key.limitReset();
            statement.setObject(4, reset == null ? null : reset.wireName(), Types.VARCHAR);
            statement.setObject(5, millis(key.expiresAt()), Types.BIGINT);
            statement.setLong(6, key.updatedAt().toEpochMilli());
            statement.setString(7, key.hash());
            return statement.executeUpdate() == 1;
          }
        });
  }

  @Override
  public boolean delete(String hash) {
    return Jdbc.transaction(
        dataSource,
        "deleting a key",
        connection -> {
          try (PreparedStatement usage =
                  connection.prepareStatement("DELETE FROM key_usage WHERE key_hash = ?");
              PreparedStatement key =
                  connection.prepareStatement("DELETE FROM api_keys WHERE hash = ?")) {
            usage.setString(1, hash);
            usage.executeUpdate();
            key.setString(1, hash);
            return key.executeUpdate() == 1;
          }
        });
  }

  @Override
  public KeyUsage usage(String hash, Instant now) {
    UsageWindows windows = UsageWindows.of(now);
    return Jdbc.query(
        dataSource,
        "reading key usage",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT total_nanos, day_start, day_nanos, week_start, week_nanos, month_start,"
                      + " month_nanos FROM key_usage WHERE key_hash = ?")) {
            statement.setString(1, hash);
            try (ResultSet rows = statement.executeQuery()) {
              if (!rows.next()) {
                return KeyUsage.ZERO;
              }
              // A counter whose window is not the current one belongs to a window that is over.
              return new KeyUsage(
                  rows.getLong("total_nanos"),
                  rows.getLong("day_start") == windows.dayStart() ? rows.getLong("day_nanos") : 0,
                  rows.getLong("week_start") == windows.weekStart() ? rows.getLong("week_nanos") : 0,
                  rows.getLong("month_start") == windows.monthStart()
                      ? rows.getLong("month_nanos")
                      : 0);
            }
          }
        });
  }

  @Override
  public boolean disable(String hash, Instant at) {
    return Jdbc.query(
        dataSource,
        "disabling a key",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "UPDATE api_keys SET disabled = TRUE, updated_at = ?"
                      + " WHERE hash = ? AND NOT disabled")) {
            statement.setLong(1, at.toEpochMilli());
            statement.setString(2, hash);
            return statement.executeUpdate() == 1;
          }
        });
  }

  private static ApiKey read(ResultSet rows) throws SQLException {
    @Nullable String reset = rows.getString("limit_reset");
    return new ApiKey(
        rows.getString("hash"),
        rows.getString("account_id"),
        rows.getString("name"),
        rows.getString("label"),
        KeyKind.parse(rows.getString("kind")),
        rows.getBoolean("disabled"),
        nullableLong(rows, "limit_usd_nanos"),
        reset == null ? null : LimitReset.parse(reset),
        nullableInstant(rows, "expires_at"),
        Jdbc.instant(rows, "created_at"),
        Jdbc.instant(rows, "updated_at"),
        nullableInstant(rows, "last_used_at"));
  }
}

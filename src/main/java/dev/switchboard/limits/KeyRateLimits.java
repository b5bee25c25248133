package dev.switchboard.limits;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.switchboard.config.LimitsConfig;
import dev.switchboard.store.ReadCache;
import dev.switchboard.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Keys' own rate limits, in the store's {@code key_rate_limits} table (migration V5; the SQL is
 * the same on SQLite and PostgreSQL).
 *
 * <p>Caching: every request needs its key's limit, so lookups are cached for {@code ttl} (the key
 * cache's 5 s by default) and reloaded in the background before they expire ({@link ReadCache}). A
 * change made through this process is seen at once; one made through another node, within the TTL.
 *
 * <p>Thread-safe. {@link #find} and {@link #set} may block on the store: call them off event loops.
 */
public final class KeyRateLimits {
  private final DataSource store;
  private final LoadingCache<String, RateLimit> byHash;

  public KeyRateLimits(DataSource store, Duration ttl) {
    this.store = requireNonNull(store, "store");
    this.byHash = ReadCache.refreshedAhead(ttl, 10_000, this::read);
  }

  /** The cached limit of a key, or null when the cache does not know (then call {@link #find}). */
  public @Nullable RateLimit cached(String keyHash) {
    return byHash.getIfPresent(keyHash);
  }

  /** The key's own limit; {@link RateLimit#NONE} when it has none. */
  public RateLimit find(String keyHash) {
    return byHash.get(keyHash);
  }

  /** Sets (or, with {@link RateLimit#NONE}, clears) a key's own limit. The key must exist. */
  public void set(String keyHash, RateLimit limit, long nowMillis) {
    try (Connection connection = store.getConnection()) {
      if (limit.isNone()) {
        try (PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM key_rate_limits WHERE key_hash = ?")) {
          delete.setString(1, keyHash);
          delete.executeUpdate();
        }
      } else {
        try (PreparedStatement upsert = connection.prepareStatement(
            "INSERT INTO key_rate_limits (key_hash, requests_per_minute, tokens_per_minute, updated_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (key_hash) DO UPDATE SET requests_per_minute ="
                + " excluded.requests_per_minute, tokens_per_minute = excluded.tokens_per_minute,"
                + " updated_at = excluded.updated_at")) {
          upsert.setString(1, keyHash);
          setLong(upsert, 2, limit.requestsPerMinute());
          setLong(upsert, 3, limit.tokensPerMinute());
          upsert.setLong(4, nowMillis);
          upsert.executeUpdate();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("could not store the key's rate limit: " + e.getMessage(), e);
    } finally {
      byHash.invalidate(keyHash);
    }
  }

  private RateLimit read(String keyHash) {
    try (Connection connection = store.getConnection();
        PreparedStatement select = connection.prepareStatement(
            "SELECT requests_per_minute, tokens_per_minute FROM key_rate_limits WHERE key_hash = ?")) {
      select.setString(1, keyHash);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return RateLimit.NONE;
        }
        return new RateLimit(storable(getLong(row, 1)), storable(getLong(row, 2)));
      }
    } catch (SQLException e) {
      throw new StoreException("could not read the key's rate limit: " + e.getMessage(), e);
    }
  }

  private static void setLong(PreparedStatement statement, int index, @Nullable Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  /**
   * A stored figure, capped at {@link LimitsConfig#MAX_PER_MINUTE}: the key API accepted larger ones
   * before that bound existed, and such a row must still read as the (practically unlimited) limit
   * it was meant to be rather than fail every request of its key.
   */
  private static @Nullable Long storable(@Nullable Long perMinute) {
    return perMinute == null ? null : Math.min(perMinute, LimitsConfig.MAX_PER_MINUTE);
  }

  private static @Nullable Long getLong(ResultSet row, int index) throws SQLException {
    long value = row.getLong(index);
    return row.wasNull() ? null : value;
  }
}

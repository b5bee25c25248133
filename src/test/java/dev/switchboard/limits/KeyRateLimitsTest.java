package dev.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.LimitsConfig;
import dev.switchboard.config.StorageConfig;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key's own rate limit as stored: written, read back, and rows from before the upper bound. */
class KeyRateLimitsTest {
  private static final String HASH = "a".repeat(64);

  @TempDir Path dir;

  private static Database open(Path dir) {
    Database database = Database.open(new StorageConfig("sqlite:" + dir.resolve("limits.db")));
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    database.keys().insert(new ApiKey(HASH, Database.DEFAULT_ACCOUNT_ID, "k", "sk-sb-v1-a...", KeyKind.INFERENCE,
        false, null, null, null, now, now, null));
    return database;
  }

  @Test
  void aLimitIsReadBackAsWritten() {
    try (Database database = open(dir)) {
      KeyRateLimits limits = new KeyRateLimits(database.dataSource(), Duration.ZERO);
      limits.set(HASH, new RateLimit(60L, LimitsConfig.MAX_PER_MINUTE), 0);
      assertThat(limits.find(HASH)).isEqualTo(new RateLimit(60L, LimitsConfig.MAX_PER_MINUTE));
    }
  }

  @Test
  void aFigureStoredAboveTheBoundReadsAsTheBound() throws Exception {
    try (Database database = open(dir)) {
      // The key API accepted such figures before the bound; Bucket4j cannot refill faster.
      try (Connection connection = database.dataSource().getConnection();
          PreparedStatement insert = connection.prepareStatement("INSERT INTO key_rate_limits"
              + " (key_hash, requests_per_minute, tokens_per_minute, updated_at) VALUES (?, ?, NULL, 0)")) {
        insert.setString(1, HASH);
        insert.setLong(2, 1_000_000_000_000L);
        insert.executeUpdate();
      }
      KeyRateLimits limits = new KeyRateLimits(database.dataSource(), Duration.ZERO);
      assertThat(limits.find(HASH)).isEqualTo(new RateLimit(LimitsConfig.MAX_PER_MINUTE, null));
    }
  }
}

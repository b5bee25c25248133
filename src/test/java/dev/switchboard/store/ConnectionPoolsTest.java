package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class ConnectionPoolsTest {
  @TempDir Path dir;

  @Test
  void startOpensThePoolAtOnce() {
    HikariDataSource pool = pool(dir.resolve("a.db"));
    try {
      assertThat(ConnectionPools.start(pool)).isSameAs(pool);
      // Opened by start, not by a first query: the pool made (and kept) its first connection.
      assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
    } finally {
      pool.close();
    }
  }

  @Test
  void aDatabaseThatCannotBeOpenedFailsAtStartAndClosesThePool() {
    // A folder where the file should be: SQLite cannot open it.
    HikariDataSource pool = pool(dir);

    assertThatThrownBy(() -> ConnectionPools.start(pool))
        .isInstanceOf(HikariPool.PoolInitializationException.class);
    assertThat(pool.isClosed()).isTrue();
  }

  private static HikariDataSource pool(Path file) {
    SQLiteDataSource sqlite = new SQLiteDataSource();
    sqlite.setUrl("jdbc:sqlite:" + file);
    HikariDataSource pool = new HikariDataSource();
    pool.setDataSource(sqlite);
    pool.setMaximumPoolSize(2);
    pool.setMinimumIdle(1);
    return pool;
  }
}

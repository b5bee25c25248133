package dev.switchboard.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.switchboard.store.Jdbc;
import dev.switchboard.store.StoreException;
import dev.switchboard.store.WriteConnection;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteConnectionTest {
  private static final String INSERT = "INSERT INTO t (id) VALUES (?)";

  @TempDir Path dir;
  private HikariDataSource pool;
  private WriteConnection writes;

  @BeforeEach
  void open() {
    pool = SqlitePool.open(dir.resolve("w.db"));
    Jdbc.transaction(pool, "creating t", c -> c.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
    writes = new WriteConnection(pool);
  }

  @AfterEach
  void close() {
    writes.close();
    pool.close();
  }

  private PreparedStatement insert(long id) {
    return writes.transaction("inserting", (connection, statements) -> {
      PreparedStatement statement = statements.prepare(INSERT);
      statement.setLong(1, id);
      statement.executeUpdate();
      return statement;
    });
  }

  private long count() {
    return Jdbc.query(pool, "counting", c -> {
      try (ResultSet rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
        rows.next();
        return rows.getLong(1);
      }
    });
  }

  @Test
  void transactionsReuseTheStatementsTheyPrepared() {
    PreparedStatement first = insert(1);
    PreparedStatement second = insert(2);

    assertThat(second).isSameAs(first);
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void betweenTransactionsTheKeptConnectionDoesNotHoldTheWriteLock() {
    insert(1);

    // Another connection of the pool writes at once (a held IMMEDIATE transaction would make it
    // wait out the busy timeout and fail).
    Jdbc.transaction(pool, "inserting elsewhere", c -> c.createStatement().executeUpdate("INSERT INTO t (id) VALUES (2)"));

    assertThat(count()).isEqualTo(2);
  }

  @Test
  void aFailedTransactionRollsBackAndTheNextOneRunsOnAFreshConnection() {
    PreparedStatement before = insert(1);

    assertThatThrownBy(() -> writes.transaction("inserting twice", (connection, statements) -> {
      PreparedStatement statement = statements.prepare(INSERT);
      statement.setLong(1, 2);
      statement.executeUpdate();
      statement.setLong(1, 1); // a duplicate key: the whole transaction goes
      statement.executeUpdate();
      return null;
    })).isInstanceOf(StoreException.class).hasMessageStartingWith("inserting twice failed: ");

    assertThat(count()).isEqualTo(1);
    PreparedStatement after = insert(3);
    assertThat(after).isNotSameAs(before);
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void aClosedWriteConnectionRefusesWork() {
    writes.close();

    assertThatThrownBy(() -> insert(1)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
  }
}

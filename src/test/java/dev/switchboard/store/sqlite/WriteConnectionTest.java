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
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class WriteConnectionTest {
  private static final String INSERT = "INSERT INTO t (id) VALUES (?)";

  @TempDir Path dir;
  private HikariDataSource pool;
  private @Nullable WriteConnection writes;

  /** Both ways of opening and ending a transaction: each must behave the same on SQLite. */
  enum Mode {
    EXPLICIT_STATEMENTS {
      @Override
      WriteConnection open(HikariDataSource pool) {
        return WriteConnection.sqlite(pool);
      }
    },
    AUTO_COMMIT_SWITCH {
      @Override
      WriteConnection open(HikariDataSource pool) {
        return WriteConnection.jdbc(pool);
      }
    };

    abstract WriteConnection open(HikariDataSource pool);
  }

  @BeforeEach
  void createTable() {
    pool = SqlitePool.open(dir.resolve("w.db"));
    Jdbc.transaction(pool, "creating t", c -> c.createStatement().execute("CREATE TABLE t (id INTEGER PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    if (writes != null) {
      writes.close();
    }
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

  @ParameterizedTest
  @EnumSource(Mode.class)
  void transactionsReuseTheStatementsTheyPrepared(Mode mode) {
    writes = mode.open(pool);
    PreparedStatement first = insert(1);
    PreparedStatement second = insert(2);

    assertThat(second).isSameAs(first);
    assertThat(count()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void betweenTransactionsTheKeptConnectionDoesNotHoldTheWriteLock(Mode mode) {
    writes = mode.open(pool);
    insert(1);

    // Another connection of the pool writes at once (a held IMMEDIATE transaction would make it
    // wait out the busy timeout and fail).
    Jdbc.transaction(pool, "inserting elsewhere", c -> c.createStatement().executeUpdate("INSERT INTO t (id) VALUES (2)"));

    assertThat(count()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailedTransactionRollsBackAndTheNextOneRunsOnAFreshConnection(Mode mode) {
    writes = mode.open(pool);
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

  @ParameterizedTest
  @EnumSource(Mode.class)
  void workThatThrowsIsRolledBackAndTheConnectionKept(Mode mode) {
    writes = mode.open(pool);
    PreparedStatement before = insert(1);

    assertThatThrownBy(() -> writes.transaction("inserting then giving up", (connection, statements) -> {
      PreparedStatement statement = statements.prepare(INSERT);
      statement.setLong(1, 2);
      statement.executeUpdate();
      throw new IllegalStateException("changed my mind");
    })).isInstanceOf(IllegalStateException.class);

    assertThat(count()).isEqualTo(1);
    assertThat(insert(3)).isSameAs(before);
    // And nothing is left holding the write lock.
    Jdbc.transaction(pool, "inserting elsewhere", c -> c.createStatement().executeUpdate("INSERT INTO t (id) VALUES (4)"));
    assertThat(count()).isEqualTo(3);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aClosedWriteConnectionRefusesWork(Mode mode) {
    writes = mode.open(pool);
    writes.close();

    assertThatThrownBy(() -> insert(1)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
  }
}

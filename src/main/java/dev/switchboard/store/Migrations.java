package dev.switchboard.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Brings a database's schema to {@link #LATEST}, running Flyway only when the schema is behind.
 *
 * <p>Nearly every start finds the schema current, and Flyway costs a sixth of the gateway's
 * start-up to find that out (its plugin registry, a scan of the jar for migrations, a checksum of
 * each). So one query reads Flyway's own history table first: when every recorded migration
 * succeeded and the newest is at least {@link #LATEST}, there is nothing to apply and Flyway is not
 * loaded. Anything else (no history table yet, an older version, a failed migration, a version
 * that is not a plain number) is Flyway's to handle, exactly as before, under its own lock on
 * PostgreSQL and under {@link dev.switchboard.store.sqlite.SqlitePool#withMigrationLock} on SQLite.
 *
 * <p>What the skip gives up is Flyway's check, on a current schema, that the applied migrations'
 * checksums still match the bundled scripts: editing an applied migration is caught by the tests
 * (which migrate fresh databases) and on the next database that is behind, not on every start.
 * A database newer than this build is left alone too, as Flyway would (future migrations are
 * ignored by default).
 */
final class Migrations {
  /**
   * The newest migration bundled, the same version in both dialects' folders ({@code
   * MigrationsTest} fails when a new {@code V<n>__} script is added without raising it).
   */
  static final int LATEST = 5;

  private Migrations() {}

  /**
   * Migrates the schema at {@code location} ({@code classpath:db/migration/<dialect>}) unless it is
   * already current.
   *
   * @throws StoreException if a migration fails
   */
  static void apply(DataSource dataSource, String location) {
    if (appliedVersion(dataSource) >= LATEST) {
      return;
    }
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations(location)
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("database migration failed: " + e.getMessage(), e);
    }
  }

  /**
   * The newest version in Flyway's history table when every recorded migration succeeded, else -1:
   * no table yet, a failed migration, or a version that is not a whole number.
   */
  static int appliedVersion(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT version, success FROM flyway_schema_history")) {
      int newest = -1;
      while (rows.next()) {
        String version = rows.getString(1);
        if (!rows.getBoolean(2)) {
          return -1;
        }
        if (version != null) { // null: a repeatable migration (there are none today)
          newest = Math.max(newest, Integer.parseInt(version));
        }
      }
      return newest;
    } catch (SQLException | NumberFormatException e) {
      return -1; // Flyway will say what is wrong, or create the table
    }
  }
}

package dev.switchboard.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Starts HikariCP pools that were configured on the {@link HikariDataSource} itself.
 *
 * <p>{@code new HikariDataSource(HikariConfig)} copies the config into the data source by
 * reflection over its ~40 fields, which was ~15 ms of the gateway's start-up (the JDK builds an
 * accessor for each field on first use). Configured directly, the data source opens its pool on
 * the first {@code getConnection()}, which {@link #start} makes now, so that a server that cannot
 * be reached still fails at open and not at the first query.
 */
public final class ConnectionPools {
  private ConnectionPools() {}

  /**
   * Opens the pool (its first connection included) and returns it.
   *
   * @throws HikariPool.PoolInitializationException if the first connection cannot be made, as
   *     {@code new HikariDataSource(config)} throws; the pool is closed then
   */
  public static HikariDataSource start(HikariDataSource pool) {
    try (Connection first = pool.getConnection()) {
      return pool;
    } catch (SQLException e) {
      pool.close();
      throw new HikariPool.PoolInitializationException(e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }
}

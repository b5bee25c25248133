package dev.switchboard.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.switchboard.config.PostgresUrl;
import dev.switchboard.config.Secret;
import dev.switchboard.store.ConnectionPools;
import dev.switchboard.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens a HikariCP pool of pgjdbc connections for a {@link PostgresUrl}.
 *
 * <p>The credentials go to the pool as user and password, never into the JDBC URL, which Hikari and
 * the driver may log. Connection properties set here unless the URL's parameters say otherwise:
 *
 * <ul>
 *   <li>{@code ApplicationName=switchboard}: names the sessions in {@code pg_stat_activity}.
 *   <li>{@code logServerErrorDetail=false}: keeps the server's "Detail:" text (which quotes row
 *       values, such as the key of a duplicate) out of exception messages and so out of logs.
 *   <li>{@code connectTimeout=10} and {@code socketTimeout=60} (seconds): a server that stops
 *       answering fails requests instead of holding pool connections forever. No statement here
 *       runs for long; migrations take locks, not time.
 * </ul>
 */
public final class PostgresPool {
  /**
   * Connections per process. The generation writer uses one at a time; request threads read keys
   * and usage through the rest, and those reads are short index lookups.
   */
  static final int POOL_SIZE = 10;

  private static final Map<String, String> DEFAULT_PROPERTIES =
      Map.of(
          "ApplicationName", "switchboard",
          "logServerErrorDetail", "false",
          "connectTimeout", "10",
          "socketTimeout", "60");

  private PostgresPool() {}

  /**
   * Opens the pool and checks that one connection can be made.
   *
   * @throws StoreException if the server cannot be reached or refuses the login; the message names
   *     the server and the database, never the password
   */
  public static HikariDataSource open(PostgresUrl url) {
    HikariDataSource hikari = new HikariDataSource();
    hikari.setDriverClassName("org.postgresql.Driver");
    hikari.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      hikari.setUsername(url.user());
    }
    Secret password = url.password();
    if (password != null) {
      hikari.setPassword(password.reveal());
    }
    Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
    properties.putAll(url.properties());
    properties.forEach(hikari::addDataSourceProperty);
    hikari.setPoolName("postgresql:" + url.database());
    hikari.setMaximumPoolSize(POOL_SIZE);
    hikari.setMinimumIdle(2);
    // Hikari's default is to wait 30 s for a connection; with the server down a request should
    // fail (503) in a few seconds, not hold its client for half a minute.
    hikari.setConnectionTimeout(5_000);
    try {
      return ConnectionPools.start(hikari);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StoreException(
          "cannot connect to PostgreSQL at " + url.jdbcUrl() + ": " + cause.getMessage(), e);
    }
  }
}

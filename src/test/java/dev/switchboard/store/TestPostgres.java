package dev.switchboard.store;

import dev.switchboard.config.PostgresUrl;
import dev.switchboard.config.Secret;
import dev.switchboard.config.StorageConfig;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The PostgreSQL server the tests use: {@value #URL_VARIABLE} from the environment, else {@value
 * #DEFAULT_URL} (the local server of the development machines and CI). Each test gets its own
 * schema, {@code sb_test_<random>}, through the url's {@code currentSchema} parameter, so tests
 * never see each other's rows and runs can repeat; the schema is dropped when the test's {@link
 * TestStore} closes.
 *
 * <p>Classes that need the server are annotated {@link RequiresPostgres}.
 */
public final class TestPostgres {
  /** Points the tests at another server, e.g. {@code postgresql://me:pw@db.local:5432/scratch}. */
  public static final String URL_VARIABLE = "SWITCHBOARD_TEST_POSTGRES_URL";

  public static final String DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

  private static final SecureRandom RANDOM = new SecureRandom();

  private TestPostgres() {}

  /** The server url the tests use, without a schema. */
  public static String serverUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  /** Why the server cannot be used (a connection failure's message), or empty when it can. */
  static Optional<String> problem() {
    try (Connection connection = connect()) {
      return Optional.empty();
    } catch (SQLException | RuntimeException e) {
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** A new empty schema on the test server; closing the store drops it and everything in it. */
  public static TestStore freshSchema() {
    String schema = "sb_test_" + HexFormat.of().formatHex(randomBytes());
    execute("CREATE SCHEMA " + schema);
    String server = serverUrl();
    StorageConfig config =
        new StorageConfig(server + (server.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    return new TestStore() {
      @Override
      public StorageConfig config() {
        return config;
      }

      @Override
      public void close() {
        execute("DROP SCHEMA " + schema + " CASCADE");
      }
    };
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void execute(String sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL at "
              + PostgresUrl.redact(serverUrl())
              + " is not usable ("
              + e.getMessage()
              + "). Start it (README: Development) or point "
              + URL_VARIABLE
              + " at another server.",
          e);
    }
  }

  private static Connection connect() throws SQLException {
    PostgresUrl url = PostgresUrl.parse(serverUrl(), System.getenv());
    Properties properties = new Properties();
    properties.putAll(url.properties());
    properties.setProperty("connectTimeout", "5");
    if (url.user() != null) {
      properties.setProperty("user", url.user());
    }
    Secret password = url.password();
    if (password != null) {
      properties.setProperty("password", password.reveal());
    }
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }
}

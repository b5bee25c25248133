package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

/**
 * Where keys, generations and the ledger live.
 *
 * @param url {@code sqlite:PATH} (default {@code sqlite:./data/switchboard.db}) or {@code
 *     postgresql://…} / {@code postgres://…} (see {@link PostgresUrl}); may hold a password, so
 *     show {@link #redactedUrl()} instead
 */
public record StorageConfig(String url) {
  public static final String DEFAULT_URL = "sqlite:./data/switchboard.db";
  public static final StorageConfig DEFAULTS = new StorageConfig(DEFAULT_URL);

  public StorageConfig {
    requireNonNull(url, "url");
  }

  public boolean isSqlite() {
    return url.startsWith("sqlite:");
  }

  /** Whether the url names a PostgreSQL server ({@code postgresql://} or {@code postgres://}). */
  public boolean isPostgres() {
    return PostgresUrl.matches(url);
  }

  /** The SQLite file path; only for {@link #isSqlite()} URLs. */
  public String sqlitePath() {
    return url.substring("sqlite:".length());
  }

  /** The url with any password replaced by {@code ***}: what logs and messages show. */
  public String redactedUrl() {
    return PostgresUrl.redact(url);
  }

  /** Redacted, so a logged config never shows the database password. */
  @Override
  public String toString() {
    return "StorageConfig[url=" + redactedUrl() + "]";
  }
}

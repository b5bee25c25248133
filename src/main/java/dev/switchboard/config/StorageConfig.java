package dev.switchboard.config;

import static java.util.Objects.requireNonNull;

/**
 * Where keys, generations and the ledger live.
 *
 * @param url {@code sqlite:PATH} (default {@code sqlite:./data/switchboard.db}) or
 *     {@code postgresql://…}
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

  /** The SQLite file path; only for {@link #isSqlite()} URLs. */
  public String sqlitePath() {
    return url.substring("sqlite:".length());
  }
}

package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * BYOK credentials as stored: sealed (the store never sees a plaintext key). The same SQL runs on
 * SQLite and PostgreSQL (BLOB and BYTEA both bind as bytes). Thread-safe.
 */
public final class ProviderCredentials {
  /**
   * One stored credential.
   *
   * @param keyId the master key it is sealed under
   * @param label the key's last four characters, for display
   */
  public record Row(String accountId, String provider, String keyId, byte[] nonce, byte[] ciphertext,
      String label, Instant createdAt, Instant updatedAt) {
    public Row {
      requireNonNull(accountId, "accountId");
      requireNonNull(provider, "provider");
      requireNonNull(keyId, "keyId");
      requireNonNull(nonce, "nonce");
      requireNonNull(ciphertext, "ciphertext");
      requireNonNull(label, "label");
      requireNonNull(createdAt, "createdAt");
      requireNonNull(updatedAt, "updatedAt");
    }

    @Override
    public String toString() {
      return "Row[" + accountId + "/" + provider + ", " + keyId + ", ..." + label + "]";
    }
  }

  private static final String COLUMNS =
      "account_id, provider, key_id, nonce, ciphertext, label, created_at, updated_at";

  private final DataSource dataSource;

  public ProviderCredentials(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  /** Stores or replaces the account's credential for the provider (keeping its creation time). */
  public void put(Row row) {
    run("storing a provider credential", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO provider_credentials AS c (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
              + " ON CONFLICT (account_id, provider) DO UPDATE SET key_id = excluded.key_id,"
              + " nonce = excluded.nonce, ciphertext = excluded.ciphertext, label = excluded.label,"
              + " updated_at = excluded.updated_at")) {
        statement.setString(1, row.accountId());
        statement.setString(2, row.provider());
        statement.setString(3, row.keyId());
        statement.setBytes(4, row.nonce());
        statement.setBytes(5, row.ciphertext());
        statement.setString(6, row.label());
        statement.setLong(7, row.createdAt().toEpochMilli());
        statement.setLong(8, row.updatedAt().toEpochMilli());
        return statement.executeUpdate();
      }
    });
  }

  /** The account's credentials, by provider. */
  public List<Row> list(String accountId) {
    return run("listing provider credentials", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM provider_credentials WHERE account_id = ? ORDER BY provider")) {
        statement.setString(1, accountId);
        try (ResultSet rows = statement.executeQuery()) {
          List<Row> result = new ArrayList<>();
          while (rows.next()) {
            result.add(new Row(rows.getString(1), rows.getString(2), rows.getString(3), rows.getBytes(4),
                rows.getBytes(5), rows.getString(6), Instant.ofEpochMilli(rows.getLong(7)),
                Instant.ofEpochMilli(rows.getLong(8))));
          }
          return result;
        }
      }
    });
  }

  /** Deletes the account's credential for the provider; false when there was none. */
  public boolean delete(String accountId, String provider) {
    return run("deleting a provider credential", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "DELETE FROM provider_credentials WHERE account_id = ? AND provider = ?")) {
        statement.setString(1, accountId);
        statement.setString(2, provider);
        return statement.executeUpdate() > 0;
      }
    });
  }

  private <T> T run(String operation, Jdbc.SqlWork<T> work) {
    return Jdbc.query(dataSource, operation, work);
  }
}

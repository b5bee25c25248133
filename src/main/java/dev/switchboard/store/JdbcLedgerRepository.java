package dev.switchboard.store;

import static dev.switchboard.store.Jdbc.setNullableString;
import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@link LedgerRepository} on the {@code accounts} and {@code ledger} tables, on either back-end:
 * the V2 schemas match column for column and this SQL runs unchanged on SQLite and PostgreSQL.
 * Thread-safe.
 */
public final class JdbcLedgerRepository implements LedgerRepository {
  private static final String ENTRY_COLUMNS =
      "id, account_id, kind, amount_nanos, generation_id, key_hash, note, created_at";

  private final DataSource dataSource;

  public JdbcLedgerRepository(DataSource dataSource) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
  }

  @Override
  public Optional<AccountTotals> totals(String accountId) {
    return Jdbc.query(dataSource, "reading account totals", c -> totals(c, accountId));
  }

  private static Optional<AccountTotals> totals(Connection connection, String accountId)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id, credits_nanos, usage_nanos FROM accounts WHERE id = ?")) {
      statement.setString(1, accountId);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(readTotals(rows)) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<AccountTotals> append(LedgerEntry entry) {
    // Grants and adjustments move the credits; charges and refunds move the usage (a refund's
    // positive amount lowers it).
    boolean credits =
        entry.kind() == LedgerEntry.Kind.GRANT || entry.kind() == LedgerEntry.Kind.ADJUSTMENT;
    return Jdbc.transaction(
        dataSource,
        "appending a ledger entry",
        connection -> {
          try (PreparedStatement update =
              connection.prepareStatement(
                  credits
                      ? "UPDATE accounts SET credits_nanos = credits_nanos + ? WHERE id = ?"
                      : "UPDATE accounts SET usage_nanos = usage_nanos - ? WHERE id = ?")) {
            update.setLong(1, entry.amountNanos());
            update.setString(2, entry.accountId());
            if (update.executeUpdate() == 0) {
              return Optional.<AccountTotals>empty();
            }
          }
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO ledger (" + ENTRY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, entry.id());
            insert.setString(2, entry.accountId());
            insert.setString(3, entry.kind().wireName());
            insert.setLong(4, entry.amountNanos());
            setNullableString(insert, 5, entry.generationId());
            setNullableString(insert, 6, entry.keyHash());
            setNullableString(insert, 7, entry.note());
            insert.setLong(8, entry.createdAt().toEpochMilli());
            insert.executeUpdate();
          }
          return totals(connection, entry.accountId());
        });
  }

  @Override
  public List<LedgerEntry> entries(String accountId, int limit) {
    return Jdbc.query(
        dataSource,
        "reading ledger entries",
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT "
                      + ENTRY_COLUMNS
                      + " FROM ledger WHERE account_id = ? ORDER BY created_at DESC, id DESC"
                      + " LIMIT ?")) {
            statement.setString(1, accountId);
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
              List<LedgerEntry> entries = new ArrayList<>();
              while (rows.next()) {
                entries.add(
                    new LedgerEntry(
                        rows.getString("id"),
                        rows.getString("account_id"),
                        LedgerEntry.Kind.parse(rows.getString("kind")),
                        rows.getLong("amount_nanos"),
                        rows.getString("generation_id"),
                        rows.getString("key_hash"),
                        rows.getString("note"),
                        Jdbc.instant(rows, "created_at")));
              }
              return List.copyOf(entries);
            }
          }
        });
  }

  @Override
  public void createAccount(String id, String name, Instant at) {
    Jdbc.transaction(
        dataSource,
        "creating account " + id,
        connection -> {
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)")) {
            statement.setString(1, id);
            statement.setString(2, name);
            statement.setLong(3, at.toEpochMilli());
            return statement.executeUpdate();
          }
        });
  }

  @Override
  public List<AccountTotals> accounts() {
    return Jdbc.query(
        dataSource,
        "listing accounts",
        connection -> {
          try (PreparedStatement statement =
                  connection.prepareStatement(
                      "SELECT id, credits_nanos, usage_nanos FROM accounts ORDER BY id");
              ResultSet rows = statement.executeQuery()) {
            List<AccountTotals> accounts = new ArrayList<>();
            while (rows.next()) {
              accounts.add(readTotals(rows));
            }
            return List.copyOf(accounts);
          }
        });
  }

  private static AccountTotals readTotals(ResultSet rows) throws SQLException {
    return new AccountTotals(
        rows.getString("id"), rows.getLong("credits_nanos"), rows.getLong("usage_nanos"));
  }
}

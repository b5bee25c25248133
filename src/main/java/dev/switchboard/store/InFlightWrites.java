package dev.switchboard.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The attempt journal's writes, on a batch's connection inside its transaction: journal rows of
 * requests that start, and the claim a settlement makes on its row. The same SQL runs on SQLite
 * and PostgreSQL ({@code DELETE … RETURNING}), so both back-ends' {@code commit} call this one
 * class.
 *
 * <p>Exactly once: a journaled generation is stored only by whoever deletes its journal row, the
 * request's own settlement or a recovery. Both delete in the transaction that stores the
 * generation and its charge, and a delete of a row another transaction deleted first deletes
 * nothing (PostgreSQL makes the second wait on the row lock and then see it gone; SQLite runs one
 * write transaction at a time). A settlement that finds its row gone stores its record only if no
 * generation with its id exists: then the row was not recovered but lost (on PostgreSQL journal rows
 * are committed asynchronously, so a database crash can lose the last few), and the request's own
 * record is the only one there will be. The ledger's {@code UNIQUE (generation_id, kind)} stands
 * behind all of it for priced generations.
 */
public final class InFlightWrites {
  static final String COLUMNS =
      "generation_id, node_id, key_hash, account_id, model, provider, provider_model, streamed,"
          + " prompt_tokens, completion_tokens, reserved_nanos, started_at";

  private static final String INSERT =
      "INSERT INTO in_flight (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Groups of up to this many settlements claim their rows with a kept statement. */
  private static final int KEPT_GROUP_SIZES = 16;

  private InFlightWrites() {}

  /** Inserts journal rows. */
  public static void start(WriteConnection.Statements statements, List<InFlight> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    PreparedStatement statement = statements.prepare(INSERT);
    for (InFlight row : rows) {
      statement.setString(1, row.generationId());
      statement.setString(2, row.nodeId());
      statement.setString(3, row.keyHash());
      statement.setString(4, row.accountId());
      statement.setString(5, row.model());
      statement.setString(6, row.provider());
      statement.setString(7, row.providerModel());
      statement.setBoolean(8, row.streamed());
      statement.setLong(9, row.promptTokens());
      statement.setLong(10, row.completionTokens());
      statement.setLong(11, row.reservedNanos());
      statement.setLong(12, row.startedAt().toEpochMilli());
      statement.addBatch();
    }
    statement.executeBatch();
  }

  /**
   * Deletes the journal rows of {@code settled} and returns the ids that may be stored: those whose
   * row this transaction deleted, and those whose row is gone but that no stored generation has
   * (see the class comment). Two statements for the whole batch, the second only for misses.
   */
  public static Set<String> claim(Connection connection, WriteConnection.Statements statements,
      List<GenerationRecord> settled) throws SQLException {
    if (settled.isEmpty()) {
      return Set.of();
    }
    Set<String> claimed = deleteRows(connection, statements, settled);
    if (claimed.size() == settled.size()) {
      return claimed;
    }
    List<GenerationRecord> missed =
        settled.stream().filter(record -> !claimed.contains(record.id())).toList();
    Set<String> stored = storedIds(connection, missed.stream().map(GenerationRecord::id).toList());
    Set<String> allowed = new HashSet<>(claimed);
    for (GenerationRecord record : missed) {
      if (!stored.contains(record.id())) {
        allowed.add(record.id());
      }
    }
    return allowed;
  }

  /** Which of {@code ids} (not empty) have a stored generation. */
  static Set<String> storedIds(Connection connection, List<String> ids) throws SQLException {
    Set<String> stored = new HashSet<>();
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT id FROM generations WHERE id IN (" + placeholders(ids.size()) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        statement.setString(i + 1, ids.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getString(1));
        }
      }
    }
    return stored;
  }

  private static String placeholders(int count) {
    return "?" + ", ?".repeat(count - 1);
  }

  private static Set<String> deleteRows(Connection connection, WriteConnection.Statements statements,
      List<GenerationRecord> settled) throws SQLException {
    String sql = "DELETE FROM in_flight WHERE generation_id IN (" + placeholders(settled.size())
        + ") RETURNING generation_id";
    // The few small group sizes that make up most commits keep their statement; a large group
    // (a burst) prepares its own.
    boolean kept = settled.size() <= KEPT_GROUP_SIZES;
    PreparedStatement statement = kept ? statements.prepare(sql) : connection.prepareStatement(sql);
    try {
      for (int i = 0; i < settled.size(); i++) {
        statement.setString(i + 1, settled.get(i).id());
      }
      Set<String> claimed = new HashSet<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          claimed.add(rows.getString(1));
        }
      }
      return claimed;
    } finally {
      if (!kept) {
        statement.close();
      }
    }
  }
}

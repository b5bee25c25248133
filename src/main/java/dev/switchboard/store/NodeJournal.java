package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * This node's lease, and the recovery of journal rows ({@link InFlight}) that no live node will
 * settle.
 *
 * <p>Each gateway process is a node: a {@code nodes} row with a random id, a stable {@code name}
 * (host and port), and an {@code expires_at} it pushes {@link #lease} ahead on every {@link
 * #heartbeat}. A journal row is <em>orphaned</em> when its node's row is gone or expired: the node
 * stopped (crashed, was killed, lost its database for longer than the lease) and will never settle
 * it. {@link #recoverOrphans} settles every orphan at its reserved estimate, exactly once (see
 * {@link InFlightWrites}): a recovery racing another recovery, or a late settlement by a node that
 * was only presumed dead, stores the generation and its charge once.
 *
 * <p>When: a node recovers at start (after {@link #retireEarlierLives}: the rows of an earlier
 * process under the same name are orphaned at once, since this process now holds its port), and
 * then every heartbeat, which picks up the rows of other nodes whose lease expired. So after a crash
 * and restart, the books are whole before the first request is served; when a node dies for good,
 * another node recovers its rows within a lease and a heartbeat.
 *
 * <p>Journal rows are in the {@code in_flight} table, or, for a node on SQLite, in {@link
 * JournalFiles} in {@code journalDirectory}, named by node: recovery reads the files of orphaned
 * nodes as it reads their rows.
 *
 * <p>The lease compares timestamps written by one node's clock with another's: keep it well above
 * the clock skew between nodes. Thread-safe.
 */
public final class NodeJournal {
  private static final System.Logger LOG = System.getLogger(NodeJournal.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Most orphans settled per transaction. */
  static final int RECOVERY_BATCH = 200;

  private final DataSource dataSource;
  private final GenerationRepository generations;
  private final @Nullable Path journalDirectory;
  private final String id;
  private final String name;
  private final Duration lease;
  private final Instant startedAt;

  /**
   * @param name this node's stable identity (host:port), shared by its successive processes
   * @param lease how long this node counts as alive after a heartbeat
   */
  public NodeJournal(
      DataSource dataSource, GenerationRepository generations, String name, Duration lease, Instant now) {
    this(dataSource, generations, null, name, lease, now);
  }

  /**
   * @param journalDirectory where nodes keep {@link JournalFiles} (SQLite), whose orphans this
   *     recovers besides the table's; null for none
   */
  public NodeJournal(DataSource dataSource, GenerationRepository generations,
      @Nullable Path journalDirectory, String name, Duration lease, Instant now) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.generations = requireNonNull(generations, "generations");
    this.journalDirectory = journalDirectory;
    this.name = requireNonNull(name, "name");
    this.lease = requireNonNull(lease, "lease");
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("the node lease must be positive, was " + lease);
    }
    this.startedAt = requireNonNull(now, "now");
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    this.id = "node-" + HexFormat.of().formatHex(random);
  }

  /** This process's node id: what its journal rows carry. */
  public String id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Duration lease() {
    return lease;
  }

  /** Creates or renews this node's lease until {@code now} + {@link #lease}. */
  public void heartbeat(Instant now) {
    update("renewing the node lease", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "INSERT INTO nodes AS n (id, name, started_at, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at,"
              + " expires_at = excluded.expires_at")) {
        statement.setString(1, id);
        statement.setString(2, name);
        statement.setLong(3, startedAt.toEpochMilli());
        statement.setLong(4, now.toEpochMilli());
        statement.setLong(5, now.plus(lease).toEpochMilli());
        return statement.executeUpdate();
      }
    });
  }

  /**
   * Removes the node rows of earlier processes with this node's name, which orphans their journal
   * rows now rather than when their lease would have run out. Call only once this process holds
   * what makes the name unique (its listening port): then no other live process has the name.
   *
   * @return how many rows were removed
   */
  public int retireEarlierLives() {
    return update("retiring earlier lives of this node", connection -> {
      try (PreparedStatement statement =
          connection.prepareStatement("DELETE FROM nodes WHERE name = ? AND id <> ?")) {
        statement.setString(1, name);
        statement.setString(2, id);
        return statement.executeUpdate();
      }
    });
  }

  /** Ends this node's lease at once (a clean stop): whatever it leaves in flight is recovered next. */
  public void release() {
    update("releasing the node lease", connection -> {
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM nodes WHERE id = ?")) {
        statement.setString(1, id);
        return statement.executeUpdate();
      }
    });
  }

  /** Journal rows whose node is gone or expired at {@code now}, oldest id first. */
  public List<InFlight> orphans(Instant now, int limit) {
    return query("reading orphaned journal rows", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT " + InFlightWrites.COLUMNS + " FROM in_flight f WHERE NOT EXISTS"
              + " (SELECT 1 FROM nodes n WHERE n.id = f.node_id AND n.expires_at > ?)"
              + " ORDER BY generation_id LIMIT ?")) {
        statement.setLong(1, now.toEpochMilli());
        statement.setInt(2, limit);
        try (ResultSet rows = statement.executeQuery()) {
          List<InFlight> result = new ArrayList<>();
          while (rows.next()) {
            result.add(new InFlight(rows.getString(1), rows.getString(2), rows.getString(3),
                rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
                rows.getBoolean(8), rows.getLong(9), rows.getLong(10), rows.getLong(11),
                Instant.ofEpochMilli(rows.getLong(12))));
          }
          return result;
        }
      }
    });
  }

  /**
   * Journaled requests not settled yet, of every node: the table's rows, and the lines of journal
   * files whose generation is not stored.
   */
  public long pending() {
    long rows = query("counting journal rows", connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM in_flight");
          ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    });
    if (journalDirectory == null) {
      return rows;
    }
    long lines = 0;
    for (Path file : JournalFiles.files(journalDirectory)) {
      List<InFlight> journaled = JournalFiles.read(file);
      lines += journaled.size() - stored(journaled).size();
    }
    return rows + lines;
  }

  /** The ids of {@code rows} whose generation is stored. */
  private Set<String> stored(List<InFlight> rows) {
    Set<String> stored = new HashSet<>();
    for (int from = 0; from < rows.size(); from += RECOVERY_BATCH) {
      List<InFlight> group = rows.subList(from, Math.min(rows.size(), from + RECOVERY_BATCH));
      stored.addAll(query("reading stored generations", connection -> InFlightWrites.storedIds(connection,
          group.stream().map(InFlight::generationId).toList())));
    }
    return stored;
  }

  /**
   * Settles every orphaned journal row at its reserved estimate, {@value #RECOVERY_BATCH} per
   * transaction (ids in order, so concurrent recoveries on PostgreSQL lock rows in the same order).
   *
   * @return how many generations this call stored (rows another node or a late settlement claimed
   *     first are not counted)
   */
  public int recoverOrphans(Instant now) {
    int recovered = 0;
    while (true) {
      List<InFlight> orphans = orphans(now, RECOVERY_BATCH);
      if (orphans.isEmpty()) {
        break;
      }
      List<GenerationRecord> records = orphans.stream().map(row -> row.recoveredRecord(now)).toList();
      recovered += records.size() - generations.commit(new WriteBatch(List.of(), records, List.of())).size();
      if (orphans.size() < RECOVERY_BATCH) {
        break;
      }
    }
    if (journalDirectory != null) {
      recovered += recoverOrphanedFiles(journalDirectory, now);
    }
    if (recovered > 0) {
      LOG.log(Level.WARNING, "recovered {0} request(s) left unsettled by stopped gateway nodes: charged"
          + " at their reserved estimates and marked recovered", recovered);
    }
    return recovered;
  }

  /**
   * Recovers the journal files of nodes whose lease is gone or expired, then deletes them. The
   * files hold every request such a node journaled, settled or not; those already stored are
   * dropped ({@link WriteBatch#fileJournaled}), which also keeps two nodes recovering one file at
   * once from charging anything twice.
   */
  private int recoverOrphanedFiles(Path directory, Instant now) {
    List<Path> files = JournalFiles.files(directory);
    if (files.isEmpty()) {
      return 0;
    }
    Set<String> live = liveNodes(now);
    int recovered = 0;
    for (Path file : files) {
      String node = JournalFiles.nodeOf(file);
      if (node.equals(id) || live.contains(node)) {
        continue;
      }
      List<InFlight> rows = JournalFiles.read(file);
      for (int from = 0; from < rows.size(); from += RECOVERY_BATCH) {
        List<GenerationRecord> records = rows.subList(from, Math.min(rows.size(), from + RECOVERY_BATCH))
            .stream().map(row -> row.recoveredRecord(now)).toList();
        recovered += records.size() - generations.commit(WriteBatch.fileJournaled(records)).size();
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Recovered all the same; the next recovery finds every line stored and tries again.
        LOG.log(Level.WARNING, "cannot delete the recovered attempt journal {0}: {1}", file, e.getMessage());
      }
    }
    return recovered;
  }

  private Set<String> liveNodes(Instant now) {
    return query("reading live nodes", connection -> {
      try (PreparedStatement statement =
          connection.prepareStatement("SELECT id FROM nodes WHERE expires_at > ?")) {
        statement.setLong(1, now.toEpochMilli());
        Set<String> ids = new HashSet<>();
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            ids.add(result.getString(1));
          }
        }
        return ids;
      }
    });
  }

  private <T> T query(String operation, Jdbc.SqlWork<T> work) {
    return Jdbc.query(dataSource, operation, work);
  }

  private int update(String operation, Jdbc.SqlWork<Integer> work) {
    return Jdbc.query(dataSource, operation, work);
  }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
   * Journaled requests not stored yet, of every node: the table's rows, and the requests in journal
   * files whose generation is not stored (including those {@link #settledNotStored settled} but not
   * committed).
   */
  public long pending() {
    long rows = query("counting journal rows", connection -> {
      try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM in_flight");
          ResultSet result = statement.executeQuery()) {
        result.next();
        return result.getLong(1);
      }
    });
    return rows + fileRequestsNotStored(false);
  }

  /**
   * Requests in journal files that settled (their clients may have been answered) but whose
   * generation is not stored: what recovery stores as they settled rather than at their estimates.
   */
  public long settledNotStored() {
    return fileRequestsNotStored(true);
  }

  private long fileRequestsNotStored(boolean settledOnly) {
    if (journalDirectory == null) {
      return 0;
    }
    long requests = 0;
    for (List<Path> files : filesByNode(journalDirectory).values()) {
      List<String> ids = journaled(files, Instant.EPOCH).values().stream()
          .filter(record -> !settledOnly || !record.recovered())
          .map(GenerationRecord::id)
          .toList();
      requests += ids.size() - stored(ids).size();
    }
    return requests;
  }

  /** Which of {@code ids} have a stored generation. */
  private Set<String> stored(List<String> ids) {
    Set<String> stored = new HashSet<>();
    for (int from = 0; from < ids.size(); from += RECOVERY_BATCH) {
      List<String> group = ids.subList(from, Math.min(ids.size(), from + RECOVERY_BATCH));
      stored.addAll(query("reading stored generations", connection -> InFlightWrites.storedIds(connection, group)));
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
    int settled = 0;
    if (journalDirectory != null) {
      FilesRecovered files = recoverOrphanedFiles(journalDirectory, now);
      recovered += files.estimated();
      settled = files.settled();
    }
    if (recovered > 0) {
      LOG.log(Level.WARNING, "recovered {0} request(s) left unsettled by stopped gateway nodes: charged"
          + " at their reserved estimates and marked recovered", recovered);
    }
    if (settled > 0) {
      LOG.log(Level.INFO, "stored {0} generation(s) that stopped gateway nodes had settled and answered"
          + " but not committed, with their own usage and cost", settled);
    }
    return recovered + settled;
  }

  /**
   * Recovers the journal files of nodes whose lease is gone or expired, then deletes them. The
   * files hold every request such a node journaled, committed or not; those already stored are
   * dropped ({@link WriteBatch#fileJournaled}), which also keeps two nodes recovering one file at
   * once from charging anything twice. A request that settled before its commit (the client was
   * answered) is stored as it settled, with its own usage and cost; the others at their estimates.
   */
  private FilesRecovered recoverOrphanedFiles(Path directory, Instant now) {
    Map<String, List<Path>> byNode = filesByNode(directory);
    if (byNode.isEmpty()) {
      return new FilesRecovered(0, 0);
    }
    Set<String> live = liveNodes(now);
    int estimated = 0;
    int settled = 0;
    for (var node : byNode.entrySet()) {
      if (node.getKey().equals(id) || live.contains(node.getKey())) {
        continue;
      }
      List<GenerationRecord> records = new ArrayList<>(journaled(node.getValue(), now).values());
      for (int from = 0; from < records.size(); from += RECOVERY_BATCH) {
        List<GenerationRecord> group = records.subList(from, Math.min(records.size(), from + RECOVERY_BATCH));
        Set<String> dropped = generations.commit(WriteBatch.fileJournaled(group));
        for (GenerationRecord record : group) {
          if (dropped.contains(record.id())) {
            continue; // stored already, by the request itself or another recovery
          }
          if (record.recovered()) {
            estimated++;
          } else {
            settled++;
          }
        }
      }
      for (Path file : node.getValue()) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // Recovered all the same; the next recovery finds every request stored and tries again.
          LOG.log(Level.WARNING, "cannot delete the recovered attempt journal {0}: {1}", file, e.getMessage());
        }
      }
    }
    return new FilesRecovered(estimated, settled);
  }

  /** Generations stored from journal files: at their estimates, and as their requests settled. */
  private record FilesRecovered(int estimated, int settled) {}

  /** The journal files in {@code directory} by node, each node's in sequence order. */
  private static Map<String, List<Path>> filesByNode(Path directory) {
    Map<String, List<Path>> byNode = new LinkedHashMap<>();
    for (Path file : JournalFiles.files(directory)) {
      byNode.computeIfAbsent(JournalFiles.nodeOf(file), node -> new ArrayList<>()).add(file);
    }
    return byNode;
  }

  /**
   * The requests in one node's journal {@code files}, one generation each by id: as settled where a
   * settled line says so (in whichever file), else the estimate of its first line, recovered at
   * {@code now}.
   */
  private static Map<String, GenerationRecord> journaled(List<Path> files, Instant now) {
    Map<String, GenerationRecord> settled = new LinkedHashMap<>();
    Map<String, InFlight> started = new LinkedHashMap<>();
    for (Path file : files) {
      for (JournalLine.Decoded line : JournalFiles.read(file)) {
        switch (line) {
          case JournalLine.Started s -> started.putIfAbsent(s.generationId(), s.row());
          case JournalLine.Settled s -> settled.put(s.generationId(), s.record());
        }
      }
    }
    Map<String, GenerationRecord> records = new LinkedHashMap<>(settled);
    started.forEach((id, row) -> records.putIfAbsent(id, row.recoveredRecord(now)));
    return records;
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

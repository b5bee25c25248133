package dev.switchboard.store.sqlite;

import static dev.switchboard.store.Jdbc.setNullableLong;
import static dev.switchboard.store.Jdbc.setNullableString;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import dev.switchboard.store.AccountingWrites;
import dev.switchboard.store.ActivityRow;
import dev.switchboard.store.GenerationReads;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.InFlightWrites;
import dev.switchboard.store.WriteConnection;
import dev.switchboard.store.Jdbc;
import dev.switchboard.store.WriteBatch;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** {@link GenerationRepository} on the {@code generations} table. Thread-safe. */
public final class SqliteGenerationRepository implements GenerationRepository {
  private static final String INSERT =
      "INSERT INTO generations ("
          + GenerationReads.COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_UNLESS_STORED = INSERT + " ON CONFLICT (id) DO NOTHING";

  private final GenerationReads reads;
  private final WriteConnection writes;

  public SqliteGenerationRepository(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource");
    this.reads = new GenerationReads(dataSource);
    this.writes = WriteConnection.sqlite(dataSource);
  }

  @Override
  public Set<String> commit(WriteBatch batch) {
    if (batch.isEmpty()) {
      return Set.of();
    }
    return writes.transaction(
        "committing " + batch.started().size() + " journal rows and " + batch.records() + " generation records",
        (connection, statements) -> {
          InFlightWrites.start(statements, batch.started());
          Set<String> claimed = InFlightWrites.claim(connection, statements, batch.settled());
          List<GenerationRecord> records = new ArrayList<>(batch.unjournaled());
          Set<String> dropped = new HashSet<>();
          for (GenerationRecord record : batch.settled()) {
            if (claimed.contains(record.id())) {
              records.add(record);
            } else {
              dropped.add(record.id());
            }
          }
          insert(statements, INSERT, records);
          List<GenerationRecord> stored = new ArrayList<>(records);
          // No journal row to claim: the primary key decides between a settlement and a recovery.
          int[] inserted = insert(statements, INSERT_UNLESS_STORED, batch.fileJournaled());
          for (int i = 0; i < inserted.length; i++) {
            GenerationRecord record = batch.fileJournaled().get(i);
            if (inserted[i] > 0) {
              stored.add(record);
            } else {
              dropped.add(record.id());
            }
          }
          if (!stored.isEmpty()) {
            AccountingWrites.apply(statements, stored);
          }
          return dropped;
        });
  }

  private static int[] insert(WriteConnection.Statements statements, String sql, List<GenerationRecord> records)
      throws SQLException {
    if (records.isEmpty()) {
      return new int[0];
    }
    PreparedStatement statement = statements.prepare(sql);
    for (GenerationRecord record : records) {
      bind(statement, record);
      statement.addBatch();
    }
    return statement.executeBatch();
  }

  @Override
  public void close() {
    writes.close();
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return reads.find(id);
  }

  @Override
  public long usageSince(String keyHash, Instant since) {
    return reads.usageSince(keyHash, since);
  }

  @Override
  public List<ActivityRow> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
    return reads.activity(from, to, keyHash);
  }

  private static void bind(PreparedStatement statement, GenerationRecord record)
      throws SQLException {
    Usage usage = record.usage();
    FinishReason finish = record.finishReason();
    statement.setString(1, record.id());
    statement.setString(2, record.keyHash());
    statement.setString(3, record.accountId());
    statement.setString(4, record.model());
    setNullableString(statement, 5, record.provider());
    setNullableString(statement, 6, record.providerModel());
    setNullableString(statement, 7, record.upstreamId());
    statement.setString(8, record.status().wireName());
    setNullableString(statement, 9, finish == null ? null : finish.wireName());
    setNullableString(statement, 10, record.nativeFinishReason());
    statement.setBoolean(11, record.streamed());
    statement.setLong(12, usage.promptTokens());
    statement.setLong(13, usage.completionTokens());
    setNullableLong(statement, 14, usage.cachedTokens());
    setNullableLong(statement, 15, usage.cacheWriteTokens());
    setNullableLong(statement, 16, usage.reasoningTokens());
    statement.setBoolean(17, usage.estimated());
    statement.setLong(18, record.costNanos());
    statement.setLong(19, record.latencyMs());
    setNullableLong(statement, 20, record.firstTokenMs());
    statement.setInt(21, record.attempts());
    Integer errorCode = record.errorCode();
    if (errorCode == null) {
      statement.setNull(22, Types.INTEGER);
    } else {
      statement.setInt(22, errorCode);
    }
    setNullableString(statement, 23, record.errorMessage());
    statement.setLong(24, record.createdAt().toEpochMilli());
    statement.setBoolean(25, record.recovered());
    statement.setBoolean(26, record.byok());
  }
}

package dev.switchboard.store.sqlite;

import static dev.switchboard.store.TestStores.KEY_HASH;
import static dev.switchboard.store.TestStores.OTHER_KEY_HASH;
import static dev.switchboard.store.TestStores.record;
import static dev.switchboard.store.TestStores.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import dev.switchboard.store.Database;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.StoreException;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteGenerationRepositoryTest {
  private static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");

  @TempDir Path dir;
  private Database database;
  private GenerationRepository generations;

  @BeforeEach
  void open() {
    database = TestStores.open(dir.resolve("g.db"));
    generations = database.generations();
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void findReturnsEveryFieldAsWritten() {
    GenerationRecord full =
        GenerationRecord.builder(
                "gen-full",
                KEY_HASH,
                Database.DEFAULT_ACCOUNT_ID,
                "anthropic/claude-sonnet-4.5",
                T0)
            .provider("anthropic", "claude-sonnet-4-5-20250929")
            .upstreamId("msg_01")
            .finishReason(FinishReason.TOOL_CALLS, "tool_use")
            .streamed(true)
            .usage(new Usage(1200, 340, 1000L, 200L, 0L, true))
            .costNanos(8_712_345L)
            .latency(2_345, 412L)
            .attempts(2)
            .build();
    GenerationRecord failed =
        GenerationRecord.builder(
                "gen-failed", KEY_HASH, Database.DEFAULT_ACCOUNT_ID, "openai/gpt-4o", T0)
            .attempts(0)
            .error(503, "no endpoint could take the request")
            .build();

    generations.insertAll(List.of(full, failed));

    assertThat(generations.find("gen-full")).contains(full);
    assertThat(generations.find("gen-failed")).contains(failed);
    assertThat(generations.find("gen-failed").orElseThrow().usage().cachedTokens()).isNull();
    assertThat(generations.find("gen-missing")).isEmpty();
  }

  @Test
  void usageSinceSumsOneKeysCostsFromTheInstantOn() {
    generations.insertAll(
        List.of(
            record("gen-1", KEY_HASH, 100, T0.minusMillis(1)),
            record("gen-2", KEY_HASH, 20, T0),
            record("gen-3", KEY_HASH, 3, T0.plusSeconds(3600)),
            record("gen-4", OTHER_KEY_HASH, 5_000, T0.plusSeconds(1))));

    assertThat(generations.usageSince(KEY_HASH, T0)).isEqualTo(23);
    assertThat(generations.usageSince(KEY_HASH, T0.minusSeconds(1))).isEqualTo(123);
    assertThat(generations.usageSince(OTHER_KEY_HASH, T0)).isEqualTo(5_000);
    assertThat(generations.usageSince("c".repeat(64), T0)).isZero();
  }

  @Test
  void aBatchIsStoredWhollyOrNotAtAll() {
    generations.insertAll(List.of(record("gen-dup", KEY_HASH, 1, T0)));

    assertThatThrownBy(
            () ->
                generations.insertAll(
                    List.of(
                        record("gen-new", KEY_HASH, 1, T0), record("gen-dup", KEY_HASH, 1, T0))))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("UNIQUE");

    assertThat(generations.find("gen-new")).isEmpty();
    assertThat(scalar(database, "SELECT count(*) FROM generations")).isEqualTo(1);
  }
}

package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link KeyRepository} does, run against each back-end by a subclass ({@code
 * SqliteKeyRepositoryTest}, {@code PostgresKeyRepositoryTest}) that supplies a fresh store.
 */
public abstract class KeyRepositoryContract {
  private static final Instant T0 = Instant.parse("2025-11-01T08:00:00.123Z");

  private TestStore store;
  private Database database;
  private KeyRepository keys;

  /** A new, empty database for one test. */
  protected abstract TestStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
    database = store.open();
    keys = database.keys();
  }

  @AfterEach
  void close() {
    // Null when newStore() or open() failed; only that failure should be reported.
    try {
      if (database != null) {
        database.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }

  private static ApiKey key(String hashChar, Instant createdAt) {
    return new ApiKey(
        hashChar.repeat(64),
        Database.DEFAULT_ACCOUNT_ID,
        "key " + hashChar,
        "sk-sb-v1-" + hashChar + "...",
        KeyKind.INFERENCE,
        false,
        null,
        null,
        null,
        createdAt,
        createdAt,
        null);
  }

  @Test
  void findReturnsEveryFieldAsWritten() {
    ApiKey full =
        new ApiKey(
            "d".repeat(64),
            Database.DEFAULT_ACCOUNT_ID,
            "ci",
            "sk-sb-v1-abc...xyz",
            KeyKind.MANAGEMENT,
            false,
            12_500_000_000L,
            LimitReset.MONTHLY,
            T0.plusSeconds(86_400),
            T0,
            T0.plusMillis(5),
            T0.plusSeconds(60));
    ApiKey sparse = key("e", T0);

    keys.insert(full);
    keys.insert(sparse);

    assertThat(keys.find(full.hash())).contains(full);
    assertThat(keys.find(sparse.hash())).contains(sparse);
    assertThat(keys.find("f".repeat(64))).isEmpty();
  }

  @Test
  void listsOldestFirst() {
    keys.insert(key("2", T0.plusSeconds(2)));
    keys.insert(key("1", T0.plusSeconds(1)));
    keys.insert(key("3", T0.plusSeconds(3)));

    assertThat(keys.list()).extracting(ApiKey::name).containsExactly("key 1", "key 2", "key 3");
  }

  @Test
  void listIsEmptyWithoutKeys() {
    assertThat(keys.list()).isEmpty();
  }

  @Test
  void disableChangesAnEnabledKeyOnce() {
    ApiKey key = key("a", T0);
    keys.insert(key);

    assertThat(keys.disable(key.hash(), T0.plusSeconds(10))).isTrue();
    assertThat(keys.disable(key.hash(), T0.plusSeconds(20))).isFalse();
    assertThat(keys.disable("0".repeat(64), T0)).isFalse();

    assertThat(keys.find(key.hash())).contains(key.disable(T0.plusSeconds(10)));
  }

  @Test
  void refusesADuplicateHash() {
    keys.insert(key("a", T0));

    assertThatThrownBy(() -> keys.insert(key("a", T0)))
        .isInstanceOf(StoreException.class)
        .message()
        .containsIgnoringCase("unique");
  }

  @Test
  void refusesAKeyOfAnUnknownAccount() {
    ApiKey orphan =
        new ApiKey(
            TestStores.KEY_HASH,
            "no-such-account",
            "n",
            "sk-sb-v1-abc...xyz",
            KeyKind.INFERENCE,
            false,
            null,
            null,
            null,
            T0,
            T0,
            null);

    assertThatThrownBy(() -> keys.insert(orphan))
        .isInstanceOf(StoreException.class)
        .message()
        .containsIgnoringCase("foreign key");
    assertThat(keys.list()).isEmpty();
  }
}

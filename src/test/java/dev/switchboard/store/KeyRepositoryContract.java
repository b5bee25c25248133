package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
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

  @Test
  void pagesAreStableAndCanLeaveDisabledKeysOut() {
    for (int i = 1; i <= 5; i++) {
      keys.insert(key(String.valueOf(i), T0.plusSeconds(i)));
    }
    keys.disable("2".repeat(64), T0.plusSeconds(10));

    assertThat(keys.page(0, 2, true)).extracting(ApiKey::name).containsExactly("key 1", "key 2");
    assertThat(keys.page(2, 2, true)).extracting(ApiKey::name).containsExactly("key 3", "key 4");
    assertThat(keys.page(4, 2, true)).extracting(ApiKey::name).containsExactly("key 5");
    assertThat(keys.page(0, 10, false))
        .extracting(ApiKey::name)
        .containsExactly("key 1", "key 3", "key 4", "key 5");
    assertThat(keys.page(9, 10, true)).isEmpty();
    assertThatThrownBy(() -> keys.page(-1, 10, true)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void updateChangesTheMutableFieldsOnly() {
    ApiKey key = key("a", T0);
    keys.insert(key);
    ApiKey changed =
        new ApiKey(
            key.hash(),
            key.accountId(),
            "renamed",
            key.label(),
            key.kind(),
            true,
            7_000L,
            LimitReset.WEEKLY,
            T0.plusSeconds(3_600),
            key.createdAt(),
            T0.plusSeconds(5),
            null);

    assertThat(keys.update(changed)).isTrue();
    assertThat(keys.find(key.hash())).contains(changed);
    assertThat(keys.update(key("f", T0))).isFalse();
    assertThat(keys.find("f".repeat(64))).isEmpty();
  }

  @Test
  void deleteRemovesTheKeyAndItsCountersButNotItsHistory() {
    ApiKey key = key("a", T0);
    keys.insert(key);
    database.generations().insertAll(List.of(TestStores.record("gen-1", key.hash(), 900, T0)));
    assertThat(keys.usage(key.hash(), T0).totalNanos()).isEqualTo(900);

    assertThat(keys.delete(key.hash())).isTrue();
    assertThat(keys.delete(key.hash())).isFalse();

    assertThat(keys.find(key.hash())).isEmpty();
    assertThat(keys.usage(key.hash(), T0)).isEqualTo(KeyUsage.ZERO);
    assertThat(database.generations().find("gen-1")).isPresent();
    assertThat(TestStores.scalar(database, "SELECT count(*) FROM ledger")).isEqualTo(1);
  }
}

package dev.switchboard.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.KeyUsage;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changing, deleting and bootstrapping keys; usage read from the running counters. */
class KeyServiceManagementTest {
  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");

  @TempDir Path dir;
  private Database database;
  private KeyService keys;

  @BeforeEach
  void open() {
    database = TestStores.open(dir.resolve("keys.db"));
    keys = new KeyService(database.keys(), ApiKeys.create(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void updateChangesOnlyWhatThePatchNamesAndIsSeenAtOnceDespiteTheCache() {
    IssuedKey issued = keys.create(new NewKey("app", KeyKind.INFERENCE, 5_000L, LimitReset.DAILY, null));
    assertThat(keys.authenticate(issued.plaintext())).isPresent(); // now cached

    ApiKey renamed = keys.update(issued.key().hash(), new KeyPatch("renamed", null, null, null, null)).orElseThrow();
    ApiKey disabled = keys.update(issued.key().hash(), new KeyPatch(null, true, null, null, null)).orElseThrow();

    assertThat(renamed.name()).isEqualTo("renamed");
    assertThat(renamed.limitNanos()).isEqualTo(5_000L);
    assertThat(renamed.limitReset()).isEqualTo(LimitReset.DAILY);
    assertThat(disabled.disabled()).isTrue();
    assertThat(disabled.name()).isEqualTo("renamed");
    assertThat(keys.authenticate(issued.plaintext())).isEmpty();
    assertThat(database.keys().find(issued.key().hash())).contains(disabled);
    assertThat(keys.update("0".repeat(64), KeyPatch.NONE)).isEmpty();
  }

  @Test
  void clearingTheLimitClearsItsResetAndAResetNeedsALimit() {
    IssuedKey issued = keys.create(new NewKey("app", KeyKind.INFERENCE, 5_000L, LimitReset.WEEKLY, null));
    String hash = issued.key().hash();

    ApiKey unlimited = keys.update(hash, new KeyPatch(null, null, KeyPatch.Change.to(null), null, null)).orElseThrow();

    assertThat(unlimited.limitNanos()).isNull();
    assertThat(unlimited.limitReset()).isNull();
    assertThatThrownBy(() -> keys.update(hash, new KeyPatch(null, null, null, KeyPatch.Change.to(LimitReset.DAILY), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a limit");
    ApiKey limited = keys.update(hash,
        new KeyPatch(null, null, KeyPatch.Change.to(9L), KeyPatch.Change.to(LimitReset.MONTHLY), null)).orElseThrow();
    assertThat(limited.limitNanos()).isEqualTo(9L);
    assertThat(limited.limitReset()).isEqualTo(LimitReset.MONTHLY);
  }

  @Test
  void deleteRemovesTheKeyAtOnce() {
    IssuedKey issued = keys.create("app", KeyKind.INFERENCE);
    assertThat(keys.authenticate(issued.plaintext())).isPresent();

    assertThat(keys.delete(issued.key().hash())).isTrue();

    assertThat(keys.authenticate(issued.plaintext())).isEmpty();
    assertThat(keys.find(issued.key().hash())).isEmpty();
    assertThat(keys.delete(issued.key().hash())).isFalse();
  }

  @Test
  void theLastEnabledManagementKeyCanBeNeitherDisabledNorDeleted() {
    IssuedKey admin = keys.create("admin", KeyKind.MANAGEMENT);
    String hash = admin.key().hash();

    assertThatThrownBy(() -> keys.delete(hash)).hasMessageContaining("last enabled management key");
    assertThatThrownBy(() -> keys.update(hash, new KeyPatch(null, true, null, null, null)))
        .hasMessageContaining("last enabled management key");

    IssuedKey second = keys.create("second admin", KeyKind.MANAGEMENT);
    assertThat(keys.update(hash, new KeyPatch(null, true, null, null, null))).isPresent();
    assertThatThrownBy(() -> keys.delete(second.key().hash())).hasMessageContaining("last enabled");
    assertThat(keys.delete(hash)).isTrue();
  }

  @Test
  void bootstrapMakesAManagementKeyOnlyWhenThereIsNone() {
    keys.create("app", KeyKind.INFERENCE);

    Optional<IssuedKey> first = keys.bootstrapManagementKey(null);
    Optional<IssuedKey> second = keys.bootstrapManagementKey(null);

    assertThat(first).isPresent();
    assertThat(first.get().key().kind()).isEqualTo(KeyKind.MANAGEMENT);
    assertThat(keys.authenticate(first.get().plaintext())).isPresent();
    assertThat(second).isEmpty();
    assertThat(keys.list()).filteredOn(k -> k.kind() == KeyKind.MANAGEMENT).hasSize(1);
  }

  @Test
  void bootstrapRegistersTheOperatorsKeyByItsHashOnly() {
    String preset = ApiKeys.create().generate();

    assertThat(keys.bootstrapManagementKey(preset)).isEmpty();
    assertThat(keys.bootstrapManagementKey(" " + preset + "\n")).isEmpty();

    ApiKey stored = keys.authenticate(preset).orElseThrow();
    assertThat(stored.kind()).isEqualTo(KeyKind.MANAGEMENT);
    assertThat(stored.hash()).isEqualTo(ApiKeys.hash(preset));
    assertThat(keys.list()).hasSize(1);
    assertThat(keys.list().getFirst().toString()).doesNotContain(preset.substring(12, 40));
  }

  @Test
  void bootstrapRefusesAMalformedPresetOrAnInferenceKey() {
    IssuedKey inference = keys.create("app", KeyKind.INFERENCE);

    assertThatThrownBy(() -> keys.bootstrapManagementKey("hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SWITCHBOARD_ADMIN_KEY must be sk-sb-v1-");
    assertThatThrownBy(() -> keys.bootstrapManagementKey(inference.plaintext()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inference key");
  }

  @Test
  void createRefusesAnExpiryInThePast() {
    assertThatThrownBy(() -> keys.create(new NewKey("old", KeyKind.INFERENCE, null, null, NOW.minusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expires_at must be in the future");
  }

  @Test
  void pagesAndUsageComeFromTheStore() {
    IssuedKey a = keys.create("a", KeyKind.INFERENCE);
    keys.create("b", KeyKind.INFERENCE);
    database.generations().insertAll(List.of(TestStores.record("gen-1", a.key().hash(), 42, NOW)));

    // Created at the same instant (a fixed clock), so ordered by hash: each on its own page.
    List<ApiKey> first = keys.page(0, 1, false);
    List<ApiKey> second = keys.page(1, 1, false);
    assertThat(first).hasSize(1);
    assertThat(second).hasSize(1);
    assertThat(List.of(first.getFirst().name(), second.getFirst().name())).containsExactlyInAnyOrder("a", "b");
    assertThat(first.getFirst().hash()).isLessThan(second.getFirst().hash());
    assertThat(keys.usage(a.key().hash())).isEqualTo(new KeyUsage(42, 42, 42, 42));
    assertThat(keys.find("not a hash")).isEmpty();
  }
}

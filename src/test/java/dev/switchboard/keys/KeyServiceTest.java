package dev.switchboard.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyServiceTest {
  private static final Instant NOW = Instant.parse("2025-11-26T12:00:00Z");
  private static final Duration LONG_TTL = Duration.ofHours(1);

  @TempDir Path dir;
  private Path file;
  private Database database;
  private KeyService keys;

  @BeforeEach
  void open() {
    file = dir.resolve("keys.db");
    database = TestStores.open(file);
    keys = service(database, Clock.fixed(NOW, ZoneOffset.UTC), LONG_TTL);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static KeyService service(Database database, Clock clock, Duration ttl) {
    return new KeyService(database.keys(), ApiKeys.create(), clock, ttl);
  }

  @Test
  void createdKeyAuthenticatesAndIsStoredOnlyAsItsSha256() throws Exception {
    IssuedKey issued =
        keys.create(new NewKey("ci", KeyKind.INFERENCE, 5_000_000_000L, LimitReset.MONTHLY, null));

    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest(issued.plaintext().getBytes(StandardCharsets.UTF_8));
    assertThat(issued.key().hash()).isEqualTo(HexFormat.of().formatHex(digest));
    assertThat(issued.key().label()).isEqualTo(ApiKeys.label(issued.plaintext()));
    assertThat(issued.key().accountId()).isEqualTo(Database.DEFAULT_ACCOUNT_ID);
    assertThat(issued.key().createdAt()).isEqualTo(NOW);
    assertThat(keys.authenticate(issued.plaintext())).contains(issued.key());
    assertThat(keys.list()).containsExactly(issued.key());
    assertThat(issued.toString()).doesNotContain(issued.plaintext());

    // Nothing in any column, nor anywhere in the database files, holds the secret part.
    String secret = issued.plaintext().substring(ApiKeys.PREFIX.length() + 3, ApiKeys.LENGTH - 3);
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM api_keys")) {
      while (rows.next()) {
        for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
          assertThat(String.valueOf(rows.getObject(c))).doesNotContain(secret);
        }
      }
    }
    database.close();
    try (var files = Files.list(dir)) {
      for (Path path : files.toList()) {
        assertThat(new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1))
            .doesNotContain(secret);
      }
    }
  }

  @Test
  void revokedKeyNoLongerAuthenticatesEvenWhenCached() {
    IssuedKey issued = keys.create("ci", KeyKind.INFERENCE);
    assertThat(keys.authenticate(issued.plaintext())).isPresent();

    ApiKey revoked = keys.revoke(issued.key().hash());

    assertThat(revoked.disabled()).isTrue();
    assertThat(keys.authenticate(issued.plaintext())).isEmpty();
    assertThat(keys.list()).singleElement().extracting(ApiKey::disabled).isEqualTo(true);
  }

  @Test
  void unknownMalformedAndExpiredKeysDoNotAuthenticate() {
    IssuedKey expiring =
        keys.create(new NewKey("short", KeyKind.INFERENCE, null, null, NOW.plusSeconds(3_600)));
    KeyService later =
        service(database, Clock.fixed(NOW.plusSeconds(3_600), ZoneOffset.UTC), LONG_TTL);

    assertThat(keys.authenticate(expiring.plaintext())).isPresent();
    assertThat(later.authenticate(expiring.plaintext())).isEmpty();
    assertThat(keys.authenticate(ApiKeys.create().generate())).isEmpty();
    assertThat(keys.authenticate("Bearer nonsense")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
  }

  @Test
  void revokeFindsAKeyByHashPrefixLabelPrefixOrPlaintext() {
    IssuedKey first = keys.create("first", KeyKind.INFERENCE);
    IssuedKey second = keys.create("second", KeyKind.MANAGEMENT);
    IssuedKey third = keys.create("third", KeyKind.INFERENCE);

    assertThat(keys.revoke(first.key().hash().substring(0, 10)).name()).isEqualTo("first");
    assertThat(keys.revoke(second.key().label()).name()).isEqualTo("second");
    assertThat(keys.revoke(third.plaintext()).name()).isEqualTo("third");
    assertThat(keys.list()).allMatch(ApiKey::disabled);
  }

  /** Keys whose first ten random characters are '0' and whose rest differ per key. */
  private static ApiKeys keysWithACommonBeginning() {
    return new ApiKeys(
        new SecureRandom() {
          private int draws;

          @Override
          public int nextInt(int bound) {
            int position = draws % ApiKeys.RANDOM_LENGTH;
            int key = draws++ / ApiKeys.RANDOM_LENGTH;
            return position < 10 ? 0 : (key + position) % bound;
          }
        });
  }

  @Test
  void revokeRefusesReferencesThatAreAmbiguousUnknownOrTooShort() {
    KeyService similar =
        new KeyService(
            database.keys(),
            keysWithACommonBeginning(),
            Clock.fixed(NOW, ZoneOffset.UTC),
            LONG_TTL);
    IssuedKey one = similar.create("one", KeyKind.INFERENCE);
    IssuedKey two = similar.create("two", KeyKind.INFERENCE);
    assertThat(one.key().label()).startsWith("sk-sb-v1-000").isNotEqualTo(two.key().label());

    assertThatThrownBy(() -> similar.revoke("sk-sb-v1-000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("matches 2 keys");
    assertThatThrownBy(() -> similar.revoke("sk-sb-v1-"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least");
    assertThatThrownBy(() -> similar.revoke("sk-sb-v1-Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key matches");
    assertThatThrownBy(() -> similar.revoke("0".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no key has hash");
    assertThat(similar.list()).noneMatch(ApiKey::disabled);

    assertThat(similar.revoke(two.key().label()).name()).isEqualTo("two");
  }

  @Test
  void aKeyCreatedThroughOneDatabaseIsSeenThroughAnotherOnTheSameFile() {
    try (Database other = TestStores.open(file)) {
      KeyService uncached = service(other, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ZERO);
      KeyService cached = service(other, Clock.fixed(NOW, ZoneOffset.UTC), LONG_TTL);

      IssuedKey issued = keys.create("from the CLI", KeyKind.INFERENCE);
      assertThat(uncached.authenticate(issued.plaintext())).contains(issued.key());
      assertThat(cached.authenticate(issued.plaintext())).contains(issued.key());

      keys.revoke(issued.key().hash());

      // Without a cache the revocation is seen at once; with one, once the entry expires (TTL).
      assertThat(uncached.authenticate(issued.plaintext())).isEmpty();
      assertThat(cached.authenticate(issued.plaintext())).isPresent();
      assertThat(other.keys().find(issued.key().hash()))
          .get()
          .extracting(ApiKey::disabled)
          .isEqualTo(true);
    }
  }

  @Test
  void newKeyValidatesItsFields() {
    assertThatThrownBy(() -> NewKey.of("  ", KeyKind.INFERENCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> new NewKey("x", KeyKind.INFERENCE, null, LimitReset.DAILY, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a limit");
    assertThatThrownBy(() -> new NewKey("x", KeyKind.INFERENCE, -1L, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

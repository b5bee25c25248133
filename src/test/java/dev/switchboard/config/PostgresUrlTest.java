package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

  @Test
  void takesTheUrlApartWithCredentialsOutOfTheJdbcUrl() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://switchboard:s3cret@db.internal:5433/gateway?sslmode=require"
                + "&currentSchema=sb",
            Map.of("PGUSER", "ignored", "PGPASSWORD", "ignored"));

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/gateway");
    assertThat(url.database()).isEqualTo("gateway");
    assertThat(url.user()).isEqualTo("switchboard");
    assertThat(url.password()).isEqualTo(Secret.of("s3cret"));
    assertThat(url.properties())
        .containsExactlyInAnyOrderEntriesOf(Map.of("sslmode", "require", "currentSchema", "sb"));
    assertThat(url.toString()).doesNotContain("s3cret");
  }

  @Test
  void thePostgresSchemeDefaultPortAndIpv6AndSeveralHostsWork() {
    assertThat(PostgresUrl.parse("postgres://127.0.0.1/sb", Map.of()).jdbcUrl())
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/sb");
    assertThat(PostgresUrl.parse("postgresql://[::1]:6543/sb", Map.of()).jdbcUrl())
        .isEqualTo("jdbc:postgresql://[::1]:6543/sb");
    assertThat(PostgresUrl.parse("postgresql://primary:5432,replica/sb", Map.of()).jdbcUrl())
        .isEqualTo("jdbc:postgresql://primary:5432,replica:5432/sb");
  }

  @Test
  void missingCredentialsComeFromPgUserAndPgPassword() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://127.0.0.1/sb", Map.of("PGUSER", "envuser", "PGPASSWORD", "envpass"));

    assertThat(url.user()).isEqualTo("envuser");
    assertThat(url.password()).isEqualTo(Secret.of("envpass"));

    PostgresUrl userOnly =
        PostgresUrl.parse("postgresql://me@127.0.0.1/sb", Map.of("PGPASSWORD", "envpass"));
    assertThat(userOnly.user()).isEqualTo("me");
    assertThat(userOnly.password()).isEqualTo(Secret.of("envpass"));

    PostgresUrl none = PostgresUrl.parse("postgresql://127.0.0.1/sb", Map.of());
    assertThat(none.user()).isNull();
    assertThat(none.password()).isNull();
  }

  @Test
  void credentialsMayBeQueryParametersAndNeverReachTheDriverProperties() {
    PostgresUrl url =
        PostgresUrl.parse("postgresql://127.0.0.1/sb?user=q&password=qp&sslmode=disable", Map.of());

    assertThat(url.user()).isEqualTo("q");
    assertThat(url.password()).isEqualTo(Secret.of("qp"));
    assertThat(url.properties()).containsExactlyEntriesOf(Map.of("sslmode", "disable"));
  }

  @Test
  void percentEscapesAreDecodedAndPlusIsLiteral() {
    PostgresUrl url = PostgresUrl.parse("postgresql://us%40er:p%2Fa+ss@h/my%20db", Map.of());

    assertThat(url.user()).isEqualTo("us@er");
    assertThat(url.password()).isEqualTo(Secret.of("p/a+ss"));
    assertThat(url.database()).isEqualTo("my db");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my+db");
  }

  @Test
  void aPasswordWithUnescapedSeparatorsIsStillTheWholePassword() {
    // User-info runs to the last '@', so '/', '?', ':' and '@' in a password stay in it.
    PostgresUrl url = PostgresUrl.parse("postgresql://u:a/b?c:d@e@db:5432/sb", Map.of());

    assertThat(url.password()).isEqualTo(Secret.of("a/b?c:d@e"));
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/sb");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://u:hunter2@/sb",
        "postgresql://u:hunter2@db",
        "postgresql://u:hunter2@db/",
        "postgresql://u:hunter2@db:0/sb",
        "postgresql://u:hunter2@db:70000/sb",
        "postgresql://u:hunter2@db:port/sb",
        "postgresql://u:hunter2@db/a/b",
        "postgresql://u:hunter2@d b/sb",
        "postgresql://u:hunter2@db/sb?sslmode",
        "postgresql://u:hunter2%zz@db/sb",
        "postgresql://u:hunter2@db,/sb",
        "sqlite:./x.db"
      })
  void rejectsMalformedUrlsWithoutEchoingThePassword(String url) {
    assertThatThrownBy(() -> PostgresUrl.parse(url, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("hunter2")
        .hasNoCause();
  }

  @Test
  void redactHidesPasswordsInUserInfoAndParameters() {
    assertThat(PostgresUrl.redact("postgresql://sb:hunter2@db:5432/sb?sslmode=require"))
        .isEqualTo("postgresql://sb:***@db:5432/sb?sslmode=require");
    assertThat(PostgresUrl.redact("postgres://db/sb?user=sb&password=hunter2&sslpassword=x"))
        .isEqualTo("postgres://db/sb?user=sb&password=***&sslpassword=***");
    assertThat(PostgresUrl.redact("postgresql://u:a/b?c@db/sb")).isEqualTo("postgresql://u:***@db/sb");
    assertThat(PostgresUrl.redact("postgresql://sb@db/sb")).isEqualTo("postgresql://sb@db/sb");
    assertThat(PostgresUrl.redact("sqlite:./data/switchboard.db"))
        .isEqualTo("sqlite:./data/switchboard.db");
  }

  @Test
  void storageConfigShowsOnlyTheRedactedUrl() {
    StorageConfig config = new StorageConfig("postgresql://sb:hunter2@db/sb");

    assertThat(config.isPostgres()).isTrue();
    assertThat(config.isSqlite()).isFalse();
    assertThat(config.redactedUrl()).isEqualTo("postgresql://sb:***@db/sb");
    assertThat(config.toString()).isEqualTo("StorageConfig[url=postgresql://sb:***@db/sb]");
  }
}

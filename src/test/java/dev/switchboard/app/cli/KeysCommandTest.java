package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.StorageConfig;
import dev.switchboard.keys.ApiKeys;
import dev.switchboard.keys.KeyService;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
  @TempDir Path dir;
  private Path file;
  private final List<@Nullable Path> configsAsked = new ArrayList<>();

  @BeforeEach
  void setUp() {
    file = dir.resolve("data/switchboard.db");
  }

  private record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ConfigSource source =
        configFile -> {
          configsAsked.add(configFile);
          return TestStores.sqlite(file);
        };
    int exitCode =
        new CommandLine(new KeysCommand(source))
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Optional<ApiKey> authenticate(String plaintext) {
    try (Database database = TestStores.open(file)) {
      return new KeyService(database.keys()).authenticate(plaintext);
    }
  }

  @Test
  void createPrintsThePlaintextAloneOnTheLastLine() {
    Run created = run("create", "--name", "ci", "--limit", "12.5", "--limit-reset", "monthly");

    assertThat(created.exitCode()).isZero();
    String plaintext = created.lines().getLast();
    assertThat(ApiKeys.isWellFormed(plaintext)).isTrue();
    assertThat(created.out().indexOf(plaintext)).isEqualTo(created.out().lastIndexOf(plaintext));
    ApiKey key = authenticate(plaintext).orElseThrow();
    assertThat(key.name()).isEqualTo("ci");
    assertThat(key.kind()).isEqualTo(KeyKind.INFERENCE);
    assertThat(key.limitNanos()).isEqualTo(12_500_000_000L);
    assertThat(key.limitReset()).isEqualTo(LimitReset.MONTHLY);
    assertThat(created.out()).contains(key.label()).contains("$12.50 monthly");
  }

  @Test
  void listShowsLabelsButNeverPlaintext() {
    String inference = run("create", "--name", "app").lines().getLast();
    String management = run("create", "--name", "admin", "--kind", "management").lines().getLast();

    Run listed = run("list");

    assertThat(listed.exitCode()).isZero();
    assertThat(listed.lines()).hasSize(3);
    assertThat(listed.lines().getFirst()).contains("LABEL", "NAME", "KIND", "DISABLED", "CREATED");
    assertThat(listed.out())
        .contains(ApiKeys.label(inference), ApiKeys.label(management), "management", "inference")
        .doesNotContain(inference)
        .doesNotContain(management);
  }

  @Test
  void revokeByLabelPrefixDisablesTheKey() {
    String plaintext = run("create", "--name", "gone").lines().getLast();
    String labelPrefix = ApiKeys.label(plaintext).substring(0, 12);

    Run revoked = run("revoke", labelPrefix);

    assertThat(revoked.exitCode()).isZero();
    assertThat(revoked.out()).contains("Revoked key 'gone'");
    assertThat(authenticate(plaintext)).isEmpty();
    assertThat(run("list").out()).contains("yes");
  }

  @Test
  void revokeOfAnUnknownKeyFailsWithAMessage() {
    run("create", "--name", "kept");

    Run revoked = run("revoke", "0000000000");

    assertThat(revoked.exitCode()).isEqualTo(1);
    assertThat(revoked.err()).contains("no key matches '0000000000'");
    assertThat(revoked.out()).isEmpty();
  }

  @Test
  void passesTheConfigFileToTheConfigSource() {
    Path config = dir.resolve("switchboard.yaml");

    run("list", "--config", config.toString());
    run("list");

    assertThat(configsAsked).containsExactly(config, null);
  }

  @Test
  void rejectsAnUnknownKindAsAUsageError() {
    Run created = run("create", "--name", "x", "--kind", "admin");

    assertThat(created.exitCode()).isEqualTo(2);
    assertThat(created.err()).contains("inference").contains("management");
    assertThat(configsAsked).isEmpty();
  }

  @Test
  void rejectsANegativeLimit() {
    Run created = run("create", "--name", "x", "--limit", "-1");

    assertThat(created.exitCode()).isEqualTo(1);
    assertThat(created.err()).contains("--limit");
    assertThat(configsAsked).isEmpty();
  }

  @Test
  void reportsAnUnusableStoreAsAMessageNotAStackTrace() {
    StringWriter err = new StringWriter();
    int exitCode =
        new CommandLine(new KeysCommand(
            // Nothing listens on port 1 of loopback: the connection is refused at once.
            configFile -> new StorageConfig("postgresql://sb:hunter2@127.0.0.1:1/sb")))
            .setOut(new PrintWriter(new StringWriter()))
            .setErr(new PrintWriter(err))
            .execute("list");

    assertThat(exitCode).isEqualTo(1);
    assertThat(err.toString())
        .contains("cannot connect to PostgreSQL")
        .doesNotContain("\tat ")
        .doesNotContain("hunter2");
  }
}

package dev.switchboard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.keys.KeyService;
import dev.switchboard.store.AccountTotals;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.LedgerEntry;
import dev.switchboard.store.TestStores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CreditsCommandTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void setUp() {
    file = dir.resolve("data/switchboard.db");
  }

  private record Run(int exitCode, String out, String err) {}

  private Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        new CommandLine(command)
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Run credits(String... args) {
    return run(new CreditsCommand(configFile -> TestStores.sqlite(file)), args);
  }

  private AccountTotals totals(String account) {
    try (Database database = TestStores.open(file)) {
      return database.ledger().totals(account).orElseThrow();
    }
  }

  @Test
  void grantAddsToTheDefaultAccountAndANegativeAmountTakesAway() {
    Run granted = credits("grant", "--amount", "10", "--note", "first");
    Run taken = credits("grant", "--amount", "-2.5");

    assertThat(granted.exitCode()).isZero();
    assertThat(granted.out()).contains("Granted $10.00 to account 'default'").contains("$10.00");
    assertThat(taken.exitCode()).isZero();
    assertThat(taken.out()).contains("Took $2.50 from account 'default'");
    assertThat(totals(Database.DEFAULT_ACCOUNT_ID)).isEqualTo(new AccountTotals("default", 7_500_000_000L, 0));
    try (Database database = TestStores.open(file)) {
      assertThat(database.ledger().entries("default", 10))
          .extracting(LedgerEntry::kind)
          .containsExactly(LedgerEntry.Kind.ADJUSTMENT, LedgerEntry.Kind.GRANT);
    }
  }

  @Test
  void accountsAreCreatedShownAndGrantedByName() {
    assertThat(credits("new-account", "team-a", "--name", "Team A").exitCode()).isZero();
    assertThat(credits("new-account", "team-a").err()).contains("exists already");
    assertThat(credits("new-account", "bad id!").exitCode()).isEqualTo(1);

    assertThat(credits("grant", "--amount", "3", "--account", "team-a").exitCode()).isZero();
    Run shown = credits("show");
    Run one = credits("show", "--account", "team-a");

    assertThat(shown.out()).contains("ACCOUNT", "default", "team-a", "$3.00");
    assertThat(one.out()).contains("team-a").doesNotContain("default");
    assertThat(totals("team-a").creditsNanos()).isEqualTo(3_000_000_000L);
  }

  @Test
  void refusalsAreMessagesNotStackTraces() {
    Run unknown = credits("grant", "--amount", "1", "--account", "nobody");
    Run zero = credits("grant", "--amount", "0");
    Run tooFine = credits("grant", "--amount", "0.0000000001");
    Run missing = credits("show", "--account", "nobody");

    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no account has id 'nobody'").contains("new-account").doesNotContain("\tat ");
    assertThat(zero.exitCode()).isEqualTo(1);
    assertThat(tooFine.exitCode()).isEqualTo(1);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(credits("grant").exitCode()).isEqualTo(2); // --amount is required
  }

  @Test
  void keysCanBeCreatedInAnAccountWithAnExpiry() {
    credits("new-account", "team-b");
    Run created = run(new KeysCommand(configFile -> TestStores.sqlite(file)),
        "create", "--name", "b", "--account", "team-b", "--expires-at", "2099-01-01T00:00:00Z");
    Run elsewhere = run(new KeysCommand(configFile -> TestStores.sqlite(file)),
        "create", "--name", "c", "--account", "nobody");

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("account: team-b").contains("expires: 2099-01-01T00:00:00Z");
    try (Database database = TestStores.open(file)) {
      List<ApiKey> keys = new KeyService(database.keys()).list();
      assertThat(keys).singleElement().satisfies(key -> assertThat(key.accountId()).isEqualTo("team-b"));
    }
    assertThat(elsewhere.exitCode()).isEqualTo(1);
  }
}

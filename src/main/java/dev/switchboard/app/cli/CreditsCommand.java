package dev.switchboard.app.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.store.AccountTotals;
import dev.switchboard.store.Database;
import dev.switchboard.store.LedgerEntry;
import dev.switchboard.store.LedgerRepository;
import dev.switchboard.store.Money;
import dev.switchboard.store.StoreException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard credits grant|show|new-account}: accounts and their credits in the configured
 * store. Safe to run while the server uses the same SQLite file: a grant is one transaction, and
 * the server reads balances from the store on each capped request.
 */
@Command(
    name = "credits",
    description = "Grant and show account credits; create accounts.",
    mixinStandardHelpOptions = true)
public final class CreditsCommand {
  private static final int OK = 0;
  private static final int FAILED = 1;

  private final ConfigSource configSource;

  @Spec @Nullable CommandSpec spec;

  public CreditsCommand(ConfigSource configSource) {
    this.configSource = requireNonNull(configSource, "configSource");
  }

  @Command(
      name = "grant",
      description = "Add credits to an account (a negative amount takes them away).",
      mixinStandardHelpOptions = true)
  int grant(
      @Option(names = "--amount", required = true, paramLabel = "USD", description = "USD to add.")
          BigDecimal amount,
      @Option(
              names = "--account",
              defaultValue = Database.DEFAULT_ACCOUNT_ID,
              description = "The account (default: ${DEFAULT-VALUE}).")
          String account,
      @Option(names = "--note", description = "Why, for the ledger.") @Nullable String note,
      @Option(names = "--config", paramLabel = "FILE", description = "Config file.")
          @Nullable Path config) {
    if (amount.signum() == 0 || amount.stripTrailingZeros().scale() > Money.SCALE) {
      return fail("--amount must be a non-zero number of USD with at most 9 decimals");
    }
    long nanos;
    try {
      nanos = Money.toNanos(amount);
    } catch (ArithmeticException e) {
      return fail("--amount is too large");
    }
    return withLedger(
        config,
        ledger -> {
          LedgerEntry entry =
              new LedgerEntry(
                  "led-" + UUID.randomUUID(),
                  account,
                  nanos > 0 ? LedgerEntry.Kind.GRANT : LedgerEntry.Kind.ADJUSTMENT,
                  nanos,
                  null,
                  null,
                  note,
                  Instant.now());
          AccountTotals totals = ledger.append(entry).orElse(null);
          if (totals == null) {
            return fail(
                "no account has id '"
                    + account
                    + "'; create it with: switchboard credits new-account "
                    + account);
          }
          out().println(
              (nanos > 0 ? "Granted " : "Took ")
                  + Money.format(Math.abs(nanos))
                  + (nanos > 0 ? " to" : " from")
                  + " account '"
                  + account
                  + "'");
          printTotals(List.of(totals));
          return OK;
        });
  }

  @Command(
      name = "show",
      description = "Show accounts' credits, usage and balance.",
      mixinStandardHelpOptions = true)
  int show(
      @Option(names = "--account", description = "Only this account.") @Nullable String account,
      @Option(names = "--config", paramLabel = "FILE", description = "Config file.")
          @Nullable Path config) {
    return withLedger(
        config,
        ledger -> {
          List<AccountTotals> accounts =
              account == null ? ledger.accounts() : ledger.totals(account).stream().toList();
          if (accounts.isEmpty()) {
            return fail("no account has id '" + account + "'");
          }
          printTotals(accounts);
          return OK;
        });
  }

  @Command(
      name = "new-account",
      description = "Create an account (keys are put in one with POST /api/v1/keys {\"account\": ID}).",
      mixinStandardHelpOptions = true)
  int newAccount(
      @Parameters(paramLabel = "ID", description = "Letters, digits, '.', '_' or '-'.") String id,
      @Option(names = "--name", description = "What to call it (default: the id).") @Nullable String name,
      @Option(names = "--config", paramLabel = "FILE", description = "Config file.")
          @Nullable Path config) {
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      return fail("an account id is 1 to 64 letters, digits, '.', '_' or '-', not '" + id + "'");
    }
    return withLedger(
        config,
        ledger -> {
          if (ledger.totals(id).isPresent()) {
            return fail("account '" + id + "' exists already");
          }
          ledger.createAccount(id, name == null ? id : name, Instant.now());
          out().println("Created account '" + id + "'");
          out().flush();
          return OK;
        });
  }

  private void printTotals(List<AccountTotals> accounts) {
    PrintWriter out = out();
    out.printf("%-24s %16s %16s %16s%n", "ACCOUNT", "CREDITS", "USAGE", "BALANCE");
    for (AccountTotals totals : accounts) {
      out.printf(
          "%-24s %16s %16s %16s%n",
          totals.accountId(),
          Money.format(totals.creditsNanos()),
          Money.format(totals.usageNanos()),
          Money.format(totals.balanceNanos()));
    }
    out.flush();
  }

  private int withLedger(@Nullable Path config, ToIntFunction<LedgerRepository> action) {
    try (Database database = Database.open(configSource.storageFor(config))) {
      return action.applyAsInt(database.ledger());
    } catch (IllegalArgumentException | StoreException e) {
      return fail(String.valueOf(e.getMessage()));
    }
  }

  private int fail(String message) {
    PrintWriter err = requireNonNull(spec, "spec").commandLine().getErr();
    err.println(message);
    err.flush();
    return FAILED;
  }

  private PrintWriter out() {
    return requireNonNull(spec, "spec").commandLine().getOut();
  }
}

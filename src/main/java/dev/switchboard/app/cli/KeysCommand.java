package dev.switchboard.app.cli;

import static java.util.Objects.requireNonNull;

import dev.switchboard.keys.ApiKeys;
import dev.switchboard.keys.IssuedKey;
import dev.switchboard.keys.KeyService;
import dev.switchboard.keys.NewKey;
import dev.switchboard.store.ApiKey;
import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.LimitReset;
import dev.switchboard.store.Money;
import dev.switchboard.store.StoreException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard keys create|list|revoke}: manages API keys in the configured store. Safe to
 * run while the server uses the same SQLite file; the server sees a revocation within its key cache
 * TTL.
 *
 * <p>{@code create} prints the plaintext key alone on the last line of stdout, so scripts can take
 * it with {@code tail -n1}; it is printed nowhere else and never stored.
 */
@Command(
    name = "keys",
    description = "Create, list and revoke API keys.",
    mixinStandardHelpOptions = true)
public final class KeysCommand {
  private static final int OK = 0;
  private static final int FAILED = 1;

  private final ConfigSource configSource;

  @Spec @Nullable CommandSpec spec;

  public KeysCommand(ConfigSource configSource) {
    this.configSource = requireNonNull(configSource, "configSource");
  }

  @Command(
      name = "create",
      description = "Create a key and print it once.",
      mixinStandardHelpOptions = true)
  int create(
      @Option(names = "--name", required = true, description = "What to call the key.") String name,
      @Option(
              names = "--kind",
              defaultValue = "inference",
              converter = KindConverter.class,
              description = "inference (default) or management.")
          KeyKind kind,
      @Option(names = "--limit", paramLabel = "USD", description = "Spending limit in USD.")
          @Nullable BigDecimal limit,
      @Option(
              names = "--limit-reset",
              converter = ResetConverter.class,
              description = "daily, weekly or monthly; default: never.")
          @Nullable LimitReset limitReset,
      @Option(
              names = "--expires-at",
              paramLabel = "INSTANT",
              converter = InstantConverter.class,
              description = "When it stops working, e.g. 2027-12-31T23:59:59Z; default: never.")
          @Nullable Instant expiresAt,
      @Option(
              names = "--account",
              defaultValue = Database.DEFAULT_ACCOUNT_ID,
              description = "The account it spends from (default: ${DEFAULT-VALUE}).")
          String account,
      @Option(names = "--config", paramLabel = "FILE", description = "Config file.")
          @Nullable Path config) {
    if (limit != null && limit.signum() < 0) {
      err().println("--limit must not be negative");
      err().flush();
      return FAILED;
    }
    NewKey spec;
    try {
      spec =
          new NewKey(
              name,
              kind,
              limit == null ? null : Money.toNanos(limit),
              limitReset,
              expiresAt,
              false,
              account);
    } catch (IllegalArgumentException | ArithmeticException e) {
      err().println(e.getMessage());
      err().flush();
      return FAILED;
    }
    return withKeys(
        config,
        keys -> {
          IssuedKey issued = keys.create(spec);
          ApiKey key = issued.key();
          PrintWriter out = out();
          out.println("Created " + key.kind().wireName() + " key '" + key.name() + "'");
          out.println("  label: " + key.label());
          out.println("  hash:  " + key.hash());
          out.println("  limit: " + describeLimit(key));
          if (key.expiresAt() != null) {
            out.println("  expires: " + key.expiresAt());
          }
          if (!key.accountId().equals(Database.DEFAULT_ACCOUNT_ID)) {
            out.println("  account: " + key.accountId());
          }
          out.println("Copy the key now; it cannot be shown again:");
          out.println(issued.plaintext());
          out.flush();
          return OK;
        });
  }

  @Command(
      name = "list",
      description = "List keys (never their plaintext).",
      mixinStandardHelpOptions = true)
  int list(
      @Option(names = "--config", paramLabel = "FILE", description = "Config file.")
          @Nullable Path config) {
    return withKeys(config, keys -> printList(keys.list()));
  }

  private int printList(List<ApiKey> keys) {
    PrintWriter out = out();
    if (keys.isEmpty()) {
      out.println("No keys. Create one with: switchboard keys create --name NAME");
      out.flush();
      return OK;
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("LABEL", "HASH", "NAME", "KIND", "LIMIT", "DISABLED", "CREATED"));
    for (ApiKey key : keys) {
      rows.add(
          List.of(
              key.label(),
              key.hash().substring(0, 12),
              key.name(),
              key.kind().wireName(),
              describeLimit(key),
              key.disabled() ? "yes" : "no",
              key.createdAt().truncatedTo(ChronoUnit.SECONDS).toString()));
    }
    printTable(out, rows);
    out.flush();
    return OK;
  }

  @Command(name = "revoke", description = "Disable a key.", mixinStandardHelpOptions = true)
  int revoke(
      @Parameters(
              paramLabel = "HASH_OR_LABEL_PREFIX",
              description = "The key's hash or label, or enough of its beginning to be unique.")
          String reference,
      @Option(names = "--config", paramLabel = "FILE", description = "Config file.")
          @Nullable Path config) {
    return withKeys(
        config,
        keys -> {
          ApiKey key = keys.revoke(reference);
          out().println("Revoked key '" + key.name() + "' (" + key.label() + ")");
          out().flush();
          return OK;
        });
  }

  /**
   * Runs {@code action} against the configured store. Expected failures (no such key, store
   * unreachable or locked) become a message on stderr and exit code 1, not a stack trace.
   */
  private int withKeys(@Nullable Path config, ToIntFunction<KeyService> action) {
    try (Database database = Database.open(configSource.storageFor(config))) {
      // No cache: this process lives for one command.
      return action.applyAsInt(
          new KeyService(database.keys(), ApiKeys.create(), Clock.systemUTC(), Duration.ZERO));
    } catch (IllegalArgumentException | StoreException e) {
      err().println(e.getMessage());
      err().flush();
      return FAILED;
    }
  }

  private static String describeLimit(ApiKey key) {
    Long limit = key.limitNanos();
    if (limit == null) {
      return "none";
    }
    LimitReset reset = key.limitReset();
    return Money.format(limit) + (reset == null ? "" : " " + reset.wireName());
  }

  private static void printTable(PrintWriter out, List<List<String>> rows) {
    int[] widths = new int[rows.getFirst().size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(
            i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private PrintWriter out() {
    return requireNonNull(spec, "spec").commandLine().getOut();
  }

  private PrintWriter err() {
    return requireNonNull(spec, "spec").commandLine().getErr();
  }

  /** Parses {@code --kind}. */
  static final class KindConverter implements ITypeConverter<KeyKind> {
    @Override
    public KeyKind convert(String value) {
      return KeyKind.parse(value);
    }
  }

  /** Parses {@code --expires-at}: an ISO-8601 date-time with an offset. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      return OffsetDateTime.parse(value).toInstant();
    }
  }

  /** Parses {@code --limit-reset}. */
  static final class ResetConverter implements ITypeConverter<LimitReset> {
    @Override
    public LimitReset convert(String value) {
      return LimitReset.parse(value);
    }
  }
}

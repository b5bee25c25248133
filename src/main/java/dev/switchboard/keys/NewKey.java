package dev.switchboard.keys;

import static java.util.Objects.requireNonNull;

import dev.switchboard.store.Database;
import dev.switchboard.store.KeyKind;
import dev.switchboard.store.LimitReset;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What to create: the fields of {@code POST /api/v1/keys} and {@code switchboard keys create}.
 *
 * @param name what the owner calls it (1 to {@value #MAX_NAME} characters)
 * @param limitNanos spending limit in nano-USD; null means unlimited
 * @param limitReset when the limit starts over; needs a limit; null means never
 * @param expiresAt when it stops working; null means never
 * @param disabled whether it starts switched off
 * @param accountId the account it spends from (it must exist)
 */
public record NewKey(
    String name,
    KeyKind kind,
    @Nullable Long limitNanos,
    @Nullable LimitReset limitReset,
    @Nullable Instant expiresAt,
    boolean disabled,
    String accountId) {

  public static final int MAX_NAME = 200;

  public NewKey {
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(accountId, "accountId");
    name = name.strip();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw new IllegalArgumentException(
          "key name must have 1 to " + MAX_NAME + " characters, had " + name.length());
    }
    if (limitNanos != null && limitNanos < 0) {
      throw new IllegalArgumentException("key limit must not be negative");
    }
    if (limitReset != null && limitNanos == null) {
      throw new IllegalArgumentException(
          "a limit reset (" + limitReset.wireName() + ") needs a limit to reset");
    }
  }

  /** An enabled key in the default account. */
  public NewKey(
      String name,
      KeyKind kind,
      @Nullable Long limitNanos,
      @Nullable LimitReset limitReset,
      @Nullable Instant expiresAt) {
    this(name, kind, limitNanos, limitReset, expiresAt, false, Database.DEFAULT_ACCOUNT_ID);
  }

  /** An unlimited key that never expires, in the default account. */
  public static NewKey of(String name, KeyKind kind) {
    return new NewKey(name, kind, null, null, null);
  }
}

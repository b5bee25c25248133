package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * A stored API key. There is no plaintext here: the key is known only by the SHA-256 of its full
 * text, and by a label that shows a few of its characters so people can tell keys apart.
 *
 * <p>Instants are kept at millisecond precision, the precision of the store, so a key read back
 * equals the key written.
 *
 * @param hash lowercase hex SHA-256 of the full key; the key's id (OpenRouter's {@code hash})
 * @param accountId the account it spends from ({@link Database#DEFAULT_ACCOUNT_ID} for now)
 * @param name what the owner called it
 * @param label e.g. {@code sk-sb-v1-abc...xyz}, safe to show
 * @param limitNanos spending limit in nano-USD; null means unlimited
 * @param limitReset when the spending counts start over; null means never
 * @param expiresAt after this instant the key no longer authenticates; null means never
 * @param lastUsedAt when it last authenticated a request, if recorded
 */
public record ApiKey(
    String hash,
    String accountId,
    String name,
    String label,
    KeyKind kind,
    boolean disabled,
    @Nullable Long limitNanos,
    @Nullable LimitReset limitReset,
    @Nullable Instant expiresAt,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant lastUsedAt) {

  public ApiKey {
    requireNonNull(hash, "hash");
    requireNonNull(accountId, "accountId");
    requireNonNull(name, "name");
    requireNonNull(label, "label");
    requireNonNull(kind, "kind");
    if (hash.length() != 64) {
      throw new IllegalArgumentException("hash must be 64 hex characters, had " + hash.length());
    }
    if (limitNanos != null && limitNanos < 0) {
      throw new IllegalArgumentException(
          "limit must not be negative, was " + limitNanos + " nano-USD");
    }
    expiresAt = millis(expiresAt);
    createdAt = requireNonNull(millis(createdAt), "createdAt");
    updatedAt = requireNonNull(millis(updatedAt), "updatedAt");
    lastUsedAt = millis(lastUsedAt);
  }

  /** Whether the key may authenticate at {@code now}: not disabled and not expired. */
  public boolean isActive(Instant now) {
    return !disabled && (expiresAt == null || now.isBefore(expiresAt));
  }

  /** This key, disabled as of {@code at}. */
  public ApiKey disable(Instant at) {
    return new ApiKey(
        hash,
        accountId,
        name,
        label,
        kind,
        true,
        limitNanos,
        limitReset,
        expiresAt,
        createdAt,
        at,
        lastUsedAt);
  }

  private static @Nullable Instant millis(@Nullable Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
  }
}

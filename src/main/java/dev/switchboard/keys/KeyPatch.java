package dev.switchboard.keys;

import static java.util.Objects.requireNonNull;

import dev.switchboard.store.ApiKey;
import dev.switchboard.store.LimitReset;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What {@code PATCH /api/v1/keys/{hash}} changes. A null component leaves that field as it is; a
 * {@link Change} sets it, to null when its value is null (so "clear the limit" and "leave the limit
 * alone" stay apart).
 *
 * @param name the new name (1 to {@value NewKey#MAX_NAME} characters)
 * @param disabled whether the key is switched off
 * @param limitNanos the new spending limit in nano-USD; a null value means unlimited (and clears
 *     the limit reset with it, which means nothing without a limit)
 * @param limitReset when the limit starts over; a null value means never
 * @param expiresAt when the key stops working; a null value means never
 */
public record KeyPatch(
    @Nullable String name,
    @Nullable Boolean disabled,
    @Nullable Change<Long> limitNanos,
    @Nullable Change<LimitReset> limitReset,
    @Nullable Change<Instant> expiresAt) {

  /** Changes nothing. */
  public static final KeyPatch NONE = new KeyPatch(null, null, null, null, null);

  /** A field set to {@code value}; null clears it. */
  public record Change<T>(@Nullable T value) {
    public static <T> Change<T> to(@Nullable T value) {
      return new Change<>(value);
    }
  }

  public KeyPatch {
    if (name != null) {
      name = name.strip();
      if (name.isEmpty() || name.length() > NewKey.MAX_NAME) {
        throw new IllegalArgumentException(
            "key name must have 1 to " + NewKey.MAX_NAME + " characters, had " + name.length());
      }
    }
    Long limit = limitNanos == null ? null : limitNanos.value();
    if (limit != null && limit < 0) {
      throw new IllegalArgumentException("key limit must not be negative");
    }
  }

  /**
   * The key with this patch applied, updated at {@code now}.
   *
   * @throws IllegalArgumentException if the result would have a limit reset but no limit
   */
  public ApiKey applyTo(ApiKey key, Instant now) {
    requireNonNull(key, "key");
    Long limit = limitNanos == null ? key.limitNanos() : limitNanos.value();
    LimitReset reset = limitReset == null ? key.limitReset() : limitReset.value();
    if (limit == null && limitNanos != null && limitReset == null) {
      reset = null; // clearing the limit clears what would reset it
    }
    if (limit == null && reset != null) {
      throw new IllegalArgumentException(
          "a limit reset (" + reset.wireName() + ") needs a limit to reset");
    }
    return new ApiKey(
        key.hash(),
        key.accountId(),
        name == null ? key.name() : name,
        key.label(),
        key.kind(),
        disabled == null ? key.disabled() : disabled,
        limit,
        reset,
        expiresAt == null ? key.expiresAt() : expiresAt.value(),
        key.createdAt(),
        now,
        key.lastUsedAt());
  }
}

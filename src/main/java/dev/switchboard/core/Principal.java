package dev.switchboard.core;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling: the API key presented (by its hash, never its plaintext) and what it may do.
 *
 * @param keyHash hex SHA-256 of the key, the key's public identifier
 * @param label a recognisable, non-secret rendering of the key ({@code sk-sb-v1-abc…xyz})
 * @param management whether this is a management key (manages keys and credits, cannot call models)
 * @param limitUsd the key's spending limit, or null for none
 */
public record Principal(
    String keyHash, String label, String name, String accountId, boolean management,
    @Nullable BigDecimal limitUsd) {
  public Principal {
    requireNonNull(keyHash, "keyHash");
    requireNonNull(label, "label");
    requireNonNull(name, "name");
    requireNonNull(accountId, "accountId");
  }
}

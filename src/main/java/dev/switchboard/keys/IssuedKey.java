package dev.switchboard.keys;

import static java.util.Objects.requireNonNull;

import dev.switchboard.store.ApiKey;

/**
 * A key just created: the plaintext, to hand to its owner exactly once, and what was stored.
 *
 * <p>{@link #toString()} leaves the plaintext out, so logging this record cannot leak it.
 */
public record IssuedKey(String plaintext, ApiKey key) {
  public IssuedKey {
    requireNonNull(plaintext, "plaintext");
    requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return "IssuedKey[plaintext=***, key=" + key + "]";
  }
}

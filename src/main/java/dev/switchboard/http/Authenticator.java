package dev.switchboard.http;

import dev.switchboard.core.Principal;
import java.util.Optional;

/** Resolves a presented API key. Thread-safe; may block briefly (a cached store lookup). */
@FunctionalInterface
public interface Authenticator {
  /** The key's principal, or empty when the key is unknown, revoked, disabled or expired. */
  Optional<Principal> authenticate(String presentedKey);
}

package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.health.EndpointHealth;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint health the attempt loop sees, per attempt rather than per endpoint. An attempt on
 * an account's own key (BYOK) neither takes a half-open probe nor counts for or against its
 * endpoint's health: a revoked customer key must not open the circuit for everyone else. Every
 * other attempt goes straight to the shared {@link EndpointHealth}.
 */
final class AttemptHealth {
  private final EndpointHealth health;

  AttemptHealth(EndpointHealth health) {
    this.health = requireNonNull(health, "health");
  }

  /** Whether {@code attempt} may start now (see {@link EndpointHealth#tryAcquire}). */
  boolean tryAcquire(Attempt attempt) {
    return !shared(attempt) || health.tryAcquire(attempt.id());
  }

  /** Records how {@code attempt} ended; a null error is a success. */
  void record(Attempt attempt, @Nullable UpstreamError error) {
    if (shared(attempt)) {
      health.record(attempt.id(), error);
    }
  }

  private static boolean shared(Attempt attempt) {
    return !(attempt.provider().auth() instanceof UpstreamAuth.Byok);
  }
}

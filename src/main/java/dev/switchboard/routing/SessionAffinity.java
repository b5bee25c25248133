package dev.switchboard.routing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.routing.health.EndpointId;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a conversation on the endpoint that last served it, so the provider's prompt cache keeps
 * paying off: a request that carries a session ({@code session_id}, {@code x-session-id} or
 * OpenAI's {@code prompt_cache_key}) starts on its pinned endpoint while that is healthy.
 *
 * <p>A pin is per caller, session and model; it is set when an attempt succeeds (errors leave it
 * alone) and forgotten {@code ttl} after the last success. It does not apply under {@code
 * provider.order}, which asks for an explicit order instead (see {@link EndpointOrder}).
 *
 * <p>Thread-safe (a bounded Caffeine cache), in-process: on a multi-node setup a conversation
 * sticks per node until a shared store takes this class's place.
 */
public final class SessionAffinity implements AttemptObserver {
  /** Enough for many concurrent conversations; the least recently pinned go first beyond it. */
  private static final long MAX_SESSIONS = 200_000;

  private final Cache<Key, EndpointId> pins;

  public SessionAffinity(Duration ttl) {
    this.pins = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_SESSIONS).build();
  }

  private record Key(String session, String model) {}

  /** The endpoint {@code session} is pinned to for {@code model}, or null. */
  @Nullable EndpointId pinned(String session, String model) {
    return pins.getIfPresent(new Key(session, model));
  }

  @Override
  public void served(RoutePlan plan, Attempt attempt) {
    if (plan.session() != null) {
      pins.put(new Key(plan.session(), attempt.model().id()), attempt.id());
    }
  }
}

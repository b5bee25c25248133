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
 * <p>Thread-safe. The pins live in a {@link Pins} store: in process by default (a bounded
 * Caffeine cache), or shared by a cluster's nodes ({@code cluster.RedisSessionPins}) so a
 * conversation stays on its endpoint whichever node it reaches.
 */
public final class SessionAffinity implements AttemptObserver {
  /** Enough for many concurrent conversations; the least recently pinned go first beyond it. */
  private static final long MAX_SESSIONS = 200_000;

  private final Pins pins;

  /** Pins kept in this process for {@code ttl} after their last success. */
  public SessionAffinity(Duration ttl) {
    this(local(ttl));
  }

  public SessionAffinity(Pins pins) {
    this.pins = pins;
  }

  /**
   * Where pins are kept: by session (already scoped to its caller) and model. Implementations are
   * thread-safe and forget a pin {@code ttl} after it was last set.
   */
  public interface Pins {
    @Nullable EndpointId get(String session, String model);

    void put(String session, String model, EndpointId endpoint);
  }

  /** Pins in this process, in a bounded cache. */
  public static Pins local(Duration ttl) {
    record Key(String session, String model) {}
    Cache<Key, EndpointId> cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(MAX_SESSIONS).build();
    return new Pins() {
      @Override
      public @Nullable EndpointId get(String session, String model) {
        return cache.getIfPresent(new Key(session, model));
      }

      @Override
      public void put(String session, String model, EndpointId endpoint) {
        cache.put(new Key(session, model), endpoint);
      }
    };
  }

  /** The endpoint {@code session} is pinned to for {@code model}, or null. */
  @Nullable EndpointId pinned(String session, String model) {
    return pins.get(session, model);
  }

  @Override
  public void served(RoutePlan plan, Attempt attempt) {
    if (plan.session() != null) {
      pins.put(plan.session(), attempt.model().id(), attempt.id());
    }
  }
}

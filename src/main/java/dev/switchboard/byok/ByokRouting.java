package dev.switchboard.byok;

import dev.switchboard.config.Secret;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.RoutePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Puts an account's own provider keys into a route plan: each attempt on a provider the account
 * has a key for is preceded by the same attempt on that key. The shared-key attempt stays behind
 * it as the fallback (OpenRouter's default): a BYOK attempt that fails for any retryable reason,
 * 401 and 403 included (a revoked or mistyped key), moves on to the operator's key, billed as
 * usual. BYOK attempts count toward {@code routing.max_attempts}.
 */
public final class ByokRouting {
  private ByokRouting() {}

  /** The plan with BYOK attempts first; {@code plan} itself when the account has no usable key. */
  public static RoutePlan withAccountKeys(RoutePlan plan, Map<String, Secret> keys) {
    if (keys.isEmpty()) {
      return plan;
    }
    List<Attempt> attempts = new ArrayList<>(plan.attempts().size() * 2);
    boolean any = false;
    for (Attempt attempt : plan.attempts()) {
      Secret key = keys.get(attempt.provider().slug());
      UpstreamAuth own = key == null ? null : presented(attempt.provider().auth(), key);
      if (own != null) {
        ConfiguredProvider shared = attempt.provider();
        attempts.add(new Attempt(attempt.model(), attempt.endpoint(), new ConfiguredProvider(shared.slug(),
            shared.adapter(), shared.baseUrl(), own, shared.timeouts(), shared.headers())));
        any = true;
      }
      attempts.add(attempt);
    }
    return any ? plan.withAttempts(attempts) : plan;
  }

  /**
   * The account's key presented the way the operator's is; null for schemes a single key cannot
   * stand in for (SigV4 signs with a key pair).
   */
  static UpstreamAuth.@Nullable Byok presented(UpstreamAuth shared, Secret key) {
    return switch (shared) {
      case UpstreamAuth.Bearer b -> new UpstreamAuth.Byok(new UpstreamAuth.Bearer(key));
      case UpstreamAuth.Header h -> new UpstreamAuth.Byok(new UpstreamAuth.Header(h.name(), key));
      case UpstreamAuth.None n -> new UpstreamAuth.Byok(new UpstreamAuth.Bearer(key));
      case UpstreamAuth.SigV4 s -> null;
      case UpstreamAuth.Byok b -> null;
    };
  }

  /** Whether a provider configured with {@code shared} can take an account's key. */
  public static boolean accepts(UpstreamAuth shared) {
    return presented(shared, Secret.of("probe")) != null;
  }
}

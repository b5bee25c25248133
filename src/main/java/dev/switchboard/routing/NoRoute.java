package dev.switchboard.routing;

import dev.switchboard.core.GatewayException;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointHealth.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The error for a request no endpoint can take, in OpenRouter's terms ({@code error.availability}):
 *
 * <ul>
 *   <li>404 {@code constraint_filtered} (or {@code no_endpoints}) when the request's preferences, or
 *       the gateway's configuration, leave nothing: retrying will not help;
 *   <li>429 {@code capacity_exhausted} when every endpoint still in question asked, with {@code
 *       Retry-After}, for no requests for now;
 *   <li>503 {@code temporarily_unavailable} when endpoints are kept away by open circuits (or a mix):
 *       retryable, with {@code retry_after} the seconds until the first may come back.
 * </ul>
 *
 * The message and {@code metadata.filtered} name every endpoint and what removed it.
 */
final class NoRoute {
  static final String CIRCUIT_OPEN = "circuit_open";
  static final String RATE_LIMITED = "retry_after:rate_limited";
  static final String OVERLOADED = "retry_after:overloaded";

  private NoRoute() {}

  static String filter(EndpointHealth.Cause cause) {
    return switch (cause) {
      case CIRCUIT_OPEN -> CIRCUIT_OPEN;
      case RATE_LIMITED -> RATE_LIMITED;
      case OVERLOADED -> OVERLOADED;
    };
  }

  static GatewayException of(List<String> modelIds, List<RoutePlan.Excluded> excluded,
      List<Verdict.Unavailable> blocked, Instant now) {
    StringBuilder why = new StringBuilder(blocked.isEmpty()
        ? "no endpoint can serve this request"
        : "no endpoint can take this request right now");
    Map<String, String> filtered = new LinkedHashMap<>();
    Set<String> excludedBy = new LinkedHashSet<>();
    for (RoutePlan.Excluded e : excluded) {
      String endpoint = e.model() + " via " + e.provider();
      why.append("; ").append(endpoint).append(": ").append(e.reason());
      filtered.put(endpoint, e.reason());
      excludedBy.add(e.filter());
    }
    Map<String, Object> availability = new LinkedHashMap<>();
    availability.put("code", code(excludedBy, blocked));
    availability.put("retryable", !blocked.isEmpty());
    if (!blocked.isEmpty()) {
      availability.put("retry_after", retryAfter(blocked, now));
    }
    availability.put("requested_models", List.copyOf(modelIds));
    availability.put("excluded_by", List.copyOf(excludedBy));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("filtered", filtered);
    metadata.put("availability", availability);
    if (blocked.isEmpty()) {
      return new GatewayException.NotFound(why.toString(), metadata);
    }
    long seconds = retryAfter(blocked, now);
    metadata.put("retry_after", seconds);
    if (blocked.stream().allMatch(b -> b.cause() == EndpointHealth.Cause.RATE_LIMITED)) {
      return new GatewayException.RateLimited(why.toString(), seconds, metadata);
    }
    return new GatewayException.NoEndpointAvailable(why.toString(), metadata);
  }

  private static String code(Set<String> excludedBy, List<Verdict.Unavailable> blocked) {
    if (!blocked.isEmpty()) {
      return blocked.stream().allMatch(b -> b.cause() == EndpointHealth.Cause.RATE_LIMITED)
          ? "capacity_exhausted" : "temporarily_unavailable";
    }
    return excludedBy.isEmpty() || excludedBy.equals(Set.of(RoutePlanner.NOT_CONFIGURED))
        ? "no_endpoints" : "constraint_filtered";
  }

  /** Whole seconds until the first kept-away endpoint may take traffic again; at least 1. */
  private static long retryAfter(List<Verdict.Unavailable> blocked, Instant now) {
    Instant first = blocked.stream().map(Verdict.Unavailable::until).min(Instant::compareTo).orElse(now);
    long millis = Duration.between(now, first).toMillis();
    return Math.max(1, (millis + 999) / 1000);
  }
}

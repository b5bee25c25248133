package dev.switchboard.routing;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.ChatRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The ordered attempts for one request: the first is the preferred endpoint, the rest fallbacks;
 * and, for the routing explanation, the endpoints left out and why the order is what it is.
 *
 * @param excluded the endpoints of the requested models that may not serve this request
 * @param strategy how the order was chosen, in words (e.g. "sorted by price")
 * @param request the request to send: the client's, with any preset's defaults merged under it and
 *     model variants resolved
 * @param requested the model the client asked for, as it wrote it ({@code x:nitro}, {@code @preset/y})
 * @param session the conversation's affinity key, or null when the request names no session
 */
public record RoutePlan(
    List<Attempt> attempts,
    List<Excluded> excluded,
    String strategy,
    ChatRequest request,
    String requested,
    @Nullable String session) {
  public RoutePlan {
    attempts = List.copyOf(attempts);
    excluded = List.copyOf(excluded);
    requireNonNull(strategy, "strategy");
    requireNonNull(request, "request");
    requireNonNull(requested, "requested");
    if (attempts.isEmpty()) {
      throw new IllegalArgumentException("a route plan needs at least one attempt");
    }
  }

  /** This plan with other attempts (an account's own provider keys put first, say). */
  public RoutePlan withAttempts(List<Attempt> newAttempts) {
    return new RoutePlan(newAttempts, excluded, strategy, request, requested, session);
  }

  /**
   * An endpoint that may not serve the request.
   *
   * @param filter what removed it, in OpenRouter's {@code excluded_by} vocabulary where one fits
   *     ({@code allowed_providers}, {@code max_price}, …) and the gateway's own names otherwise
   *     ({@code not_configured}, {@code circuit_open}, …)
   * @param reason the same in words
   */
  public record Excluded(String model, String provider, String filter, String reason) {
    public Excluded {
      requireNonNull(model, "model");
      requireNonNull(provider, "provider");
      requireNonNull(filter, "filter");
      requireNonNull(reason, "reason");
    }
  }
}

package dev.switchboard.http;

import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Principal;
import dev.switchboard.limits.KeyRateLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.limits.RateLimits;
import dev.switchboard.routing.RoutePlan;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Rate limits in the request flow (and, first, whether the store can record the request: 503
 * while it cannot, see {@link StoreGuard}): runs after planning and before credit admission (so a refused
 * request never holds a spending reservation), and writes the {@code X-RateLimit-*} headers on
 * every limited response, refusals included.
 *
 * <p>Headers: {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset} describe the
 * tightest requests-per-minute limit (the tightest token limit when only tokens are limited);
 * {@code -Limit-Tokens}, {@code -Remaining-Tokens} and {@code -Reset-Tokens} the tightest token
 * limit. Reset is the epoch millisecond at which that bucket is full again (OpenRouter's unit).
 * A request no limit applies to gets none of them.
 */
final class RateLimitGate {
  private final Vertx vertx;
  private final RateLimits limits;
  private final KeyRateLimits keyLimits;
  private final TokenEstimator estimator;
  private final StoreGuard store;

  RateLimitGate(Vertx vertx, RateLimits limits, KeyRateLimits keyLimits, TokenEstimator estimator, StoreGuard store) {
    this.vertx = vertx;
    this.store = store;
    this.limits = limits;
    this.keyLimits = keyLimits;
    this.estimator = estimator;
  }

  /** Admits a planned chat request, counting its estimated prompt against token limits. */
  void chat(Exchange exchange, Principal principal, ChatRequest request, RoutePlan plan, String generationId) {
    admit(exchange, principal, plan.attempts().getFirst().model().id(),
        new RateLimits.PromptTokens(() -> estimator.quickPrompt(request), () -> estimator.prompt(request)),
        generationId);
  }

  /** Admits a planned embeddings request, counting its inputs' tokens against token limits. */
  void embeddings(Exchange exchange, Principal principal, EmbeddingRequest request, RoutePlan plan,
      String generationId) {
    admit(exchange, principal, plan.attempts().getFirst().model().id(),
        new RateLimits.PromptTokens(() -> sum(request.inputs(), TokenEstimator::quickCount),
            () -> sum(request.inputs(), estimator::count)),
        generationId);
  }

  private static long sum(List<String> inputs, ToLongFunction<String> tokens) {
    long sum = 0;
    for (String input : inputs) {
      sum += tokens.applyAsLong(input);
    }
    return sum;
  }

  private void admit(Exchange exchange, Principal principal, String model, RateLimits.PromptTokens prompt,
      String generationId) {
    // A request that cannot be recorded must not reach an upstream: its answer could not be billed.
    store.require();
    RateLimit own = keyLimits.cached(principal.keyHash());
    if (own == null) {
      own = vertx.executeBlocking(() -> keyLimits.find(principal.keyHash())).await();
    }
    var subject = new RateLimits.Subject(principal.keyHash(), principal.accountId(), model, own);
    RateLimits.Admitted admitted;
    try {
      admitted = limits.admit(subject, prompt, generationId);
    } catch (GatewayException.RateLimited refused) {
      if (refused.metadata().get("headers") instanceof Map<?, ?> headers) {
        headers.forEach((name, value) -> exchange.response().putHeader(name.toString(), value.toString()));
      }
      throw refused;
    }
    HttpServerResponse response = exchange.response();
    RateLimits.State main = admitted.requests() != null ? admitted.requests() : admitted.tokens();
    if (main != null) {
      put(response, "", main);
    }
    if (admitted.tokens() != null) {
      put(response, "-Tokens", admitted.tokens());
    }
  }

  private static void put(HttpServerResponse response, String suffix, RateLimits.State state) {
    response.putHeader("X-RateLimit-Limit" + suffix, String.valueOf(state.limit()));
    response.putHeader("X-RateLimit-Remaining" + suffix, String.valueOf(state.remaining()));
    response.putHeader("X-RateLimit-Reset" + suffix, String.valueOf(state.resetEpochMillis()));
  }
}

package dev.switchboard.routing;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import dev.switchboard.provider.transport.FrameReader;
import dev.switchboard.provider.transport.StreamStart;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.provider.transport.UpstreamCall;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.provider.transport.UpstreamStream;
import dev.switchboard.routing.health.EndpointHealth;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The attempt loop: tries the plan's endpoints in order until one answers. A retryable failure
 * (connect, timeout, 408, 429, 5xx) before anything reached the client moves on to the next
 * endpoint; a non-retryable one (400: another provider would say the same) ends the request.
 *
 * <p>Bounds: at most {@code routing.max_attempts} attempts, and no new attempt (nor wait for a
 * first byte) past {@code routing.deadline}; a stream that has started is never cut by it. An
 * endpoint whose health turned against it since planning (its circuit opened, or another request is
 * probing it) is skipped without counting as an attempt.
 *
 * <p>Every attempt's outcome goes to {@link EndpointHealth} and the {@link AttemptObserver}.
 *
 * <p>Blocking style: call from a virtual thread; waits on Vert.x futures with {@code await}.
 */
public final class ChatExecutor {
  private final UpstreamClient client;
  private final Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders;
  private final RoutingConfig config;
  private final EndpointHealth health;
  private final AttemptObserver observer;

  public ChatExecutor(UpstreamClient client,
      Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders) {
    this(client, frameReaders, RoutingConfig.DEFAULTS, EndpointHealth.none(), AttemptObserver.NONE);
  }

  public ChatExecutor(UpstreamClient client,
      Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders, RoutingConfig config,
      EndpointHealth health, AttemptObserver observer) {
    this.client = client;
    this.frameReaders = frameReaders;
    this.config = config;
    this.health = health;
    this.observer = observer;
  }

  public Completion complete(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    Served<ChatResponse> served = firstSuccess(plan, cancellation, (attempt, adapter, target, timeouts) -> {
      UpstreamCall call = call(attempt, adapter.encode(ParameterFit.of(request, attempt.endpoint()).request(), target),
          timeouts, cancellation);
      UpstreamResponse response = client.exchange(call).await();
      if (response.status() / 100 != 2) {
        throw new UpstreamException(adapter.classify(response));
      }
      return adapter.decode(response, target);
    });
    return new Completion(served.attempt(), served.value(), served.outcomes());
  }

  /** Opens a stream on the first endpoint that starts answering. */
  public OpenedStream open(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    Served<UpstreamStream> served = firstSuccess(plan, cancellation, (attempt, adapter, target, timeouts) -> {
      UpstreamCall call = call(attempt, adapter.encode(ParameterFit.of(request, attempt.endpoint()).request(), target),
          timeouts, cancellation);
      return switch (client.openStream(call, frameReaders.apply(adapter.framing())).await()) {
        case StreamStart.Streaming(var stream) -> stream;
        case StreamStart.Rejected(var response) -> throw new UpstreamException(adapter.classify(response));
      };
    });
    Attempt attempt = served.attempt();
    return new OpenedStream(attempt, served.value(),
        attempt.provider().adapter().newStreamDecoder(attempt.target()), served.outcomes());
  }

  /**
   * Reports a served request once its answer has ended: a stream that broke after it started
   * counts against its endpoint's health, and statistics and metrics learn its speed.
   */
  public void delivered(Delivery delivery) {
    if (delivery.failure() != null && !delivery.clientGone() && shared(delivery.served().attempt())) {
      health.record(delivery.served().attempt().id(), delivery.failure());
    }
    observer.delivered(delivery);
  }

  /** One try at one endpoint; a failure is thrown as an {@link UpstreamException}. */
  @FunctionalInterface
  interface Try<T> {
    T attempt(Attempt attempt, ProviderAdapter adapter, Target target, TimeoutConfig timeouts);
  }

  /** What succeeded, where, and everything tried on the way. */
  record Served<T>(T value, Attempt attempt, List<AttemptOutcome> outcomes) {}

  /**
   * Runs {@code tryOne} over the plan until an attempt succeeds or a failure is final. Shared with
   * {@link EmbeddingExecutor}, so every kind of request falls back by the same rules.
   */
  <T> Served<T> firstSuccess(RoutePlan plan, Cancellation cancellation, Try<T> tryOne) {
    long deadline = System.nanoTime() + config.deadline().toNanos();
    List<AttemptOutcome> outcomes = new ArrayList<>();
    Stop stop = Stop.EXHAUSTED;
    for (Attempt attempt : plan.attempts()) {
      long remaining = deadline - System.nanoTime();
      if (outcomes.size() >= config.maxAttempts()) {
        stop = Stop.MAX_ATTEMPTS;
        break;
      }
      if (remaining <= 0) {
        stop = Stop.DEADLINE;
        break;
      }
      if (shared(attempt) && !health.tryAcquire(attempt.id())) {
        continue; // opened (or probed by another request) since the plan was made
      }
      long start = System.nanoTime();
      UpstreamError error;
      try {
        T value = tryOne.attempt(attempt, attempt.provider().adapter(), attempt.target(),
            within(attempt.provider().timeouts(), Duration.ofNanos(remaining)));
        AttemptOutcome outcome = new AttemptOutcome(attempt, millisSince(start), null, start);
        outcomes.add(outcome);
        record(outcome);
        observer.served(plan, attempt);
        return new Served<>(value, attempt, outcomes);
      } catch (UpstreamException e) {
        // A connection we reset because the client left says nothing about the endpoint.
        error = cancellation.isCancelled() && e.error().kind() != UpstreamError.Kind.CANCELLED
            ? new UpstreamError(UpstreamError.Kind.CANCELLED, 0, null, "the client disconnected", null)
            : e.error();
      } catch (RuntimeException e) {
        // Nothing may leave the loop without releasing the endpoint (a half-open probe) and being counted.
        if (shared(attempt)) {
          health.record(attempt.id(), UpstreamError.of(UpstreamError.Kind.OTHER, 0, "internal error"));
        }
        throw e;
      }
      AttemptOutcome outcome = new AttemptOutcome(attempt, millisSince(start), error, start);
      outcomes.add(outcome);
      record(outcome);
      if (cancellation.isCancelled() || !error.retryable()) {
        stop = Stop.FINAL;
        break;
      }
    }
    throw failure(outcomes, cancellation, stop);
  }

  private void record(AttemptOutcome outcome) {
    if (shared(outcome.attempt())) {
      health.record(outcome.attempt().id(), outcome.error());
    }
    observer.attempted(outcome);
  }

  /**
   * Whether an attempt runs on the operator's credentials. One on an account's own key (BYOK)
   * neither takes a half-open probe nor counts for or against the endpoint's health: a revoked
   * customer key must not open the circuit for everyone else.
   */
  private static boolean shared(Attempt attempt) {
    return !(attempt.provider().auth() instanceof UpstreamAuth.Byok);
  }

  /** Why the loop ended without a success. */
  private enum Stop { EXHAUSTED, FINAL, MAX_ATTEMPTS, DEADLINE }

  /**
   * The provider's timeouts, shortened so that neither connecting nor waiting for the first byte
   * outlasts the request's deadline. The idle timeout between a stream's chunks is left alone:
   * once answering has started, the deadline no longer applies.
   */
  private static TimeoutConfig within(TimeoutConfig timeouts, Duration remaining) {
    Duration floor = remaining.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : remaining;
    return new TimeoutConfig(min(timeouts.connect(), floor), min(timeouts.firstByte(), floor), timeouts.idle());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The transport call for one attempt: the encoded request plus the operator's headers. */
  static UpstreamCall call(Attempt attempt, UpstreamRequest encoded, TimeoutConfig timeouts,
      Cancellation cancellation) {
    ConfiguredProvider provider = attempt.provider();
    UpstreamRequest request = encoded;
    if (!provider.headers().isEmpty()) {
      Map<String, String> headers = new HashMap<>(encoded.headers());
      headers.putAll(provider.headers());
      request = new UpstreamRequest(encoded.path(), headers, encoded.body(), encoded.stream());
    }
    return new UpstreamCall(attempt.target(), request, provider.auth(), timeouts, cancellation);
  }

  private RuntimeException failure(List<AttemptOutcome> outcomes, Cancellation cancellation, Stop stop) {
    if (cancellation.isCancelled()) {
      return new ClientGone(outcomes);
    }
    GatewayException exception;
    if (outcomes.isEmpty()) {
      exception = new GatewayException.NoEndpointAvailable(stop == Stop.DEADLINE
          ? "the routing deadline (" + config.deadline().toSeconds() + " s) passed before any endpoint could be tried"
          : "every endpoint of this request became unavailable (circuit open or probed) before it could be tried;"
              + " retry shortly", Map.of("availability", Map.of("code", "temporarily_unavailable", "retryable", true)));
    } else {
      AttemptOutcome last = outcomes.getLast();
      UpstreamError error = last.error();
      if (error == null) {
        throw new IllegalStateException("failure() called after a success");
      }
      exception = stop == Stop.DEADLINE
          ? UpstreamFailures.deadlineExceeded(error, last.attempt().provider().slug(), outcomes.size(),
              config.deadline())
          : UpstreamFailures.toClientError(error, last.attempt().provider().slug(), outcomes.size());
    }
    observer.failed(outcomes, exception);
    return new AttemptsFailed(exception, outcomes);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Every attempt failed (or none could be made); carries the client error and what was tried. */
  public static final class AttemptsFailed extends RuntimeException {
    private final GatewayException clientError;
    private final List<AttemptOutcome> outcomes;

    AttemptsFailed(GatewayException clientError, List<AttemptOutcome> outcomes) {
      super(clientError.getMessage(), null, false, false);
      this.clientError = clientError;
      this.outcomes = List.copyOf(outcomes);
    }

    public GatewayException clientError() {
      return clientError;
    }

    /** The attempts made, in order; empty when no endpoint could be tried at all. */
    public List<AttemptOutcome> outcomes() {
      return outcomes;
    }
  }

  /** The client disconnected while we were still trying; there is no one to answer. */
  public static final class ClientGone extends RuntimeException {
    private final List<AttemptOutcome> outcomes;

    ClientGone(List<AttemptOutcome> outcomes) {
      super("client disconnected", null, false, false);
      this.outcomes = List.copyOf(outcomes);
    }

    /** The attempts made before the client left. */
    public List<AttemptOutcome> outcomes() {
      return outcomes;
    }
  }
}

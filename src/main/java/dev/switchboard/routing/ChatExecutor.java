package dev.switchboard.routing;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.TimeoutConfig;
import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ChatResponse;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Capability;
import dev.switchboard.provider.ConfiguredProvider;
import dev.switchboard.provider.ProviderAdapter;
import dev.switchboard.provider.Target;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamRequest;
import dev.switchboard.provider.UpstreamResponse;
import dev.switchboard.provider.transport.FrameReader;
import dev.switchboard.provider.transport.StreamStart;
import dev.switchboard.provider.transport.UpstreamCall;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.provider.transport.UpstreamStream;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 * <p>Beyond the loop: a request may be hedged ({@link AttemptRace}), and a stream that broke after
 * it started may be {@linkplain #resume resumed} on an endpoint that can continue it.
 *
 * <p>Every attempt's outcome goes to {@link EndpointHealth} and the {@link AttemptObserver}.
 *
 * <p>Blocking style: call from a virtual thread; waits on Vert.x futures with {@code await}. The
 * exceptions are {@link #completeAsync} and {@link #openAsync}, which never block.
 */
public final class ChatExecutor {
  private final UpstreamClient client;
  private final Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders;
  private final RoutingConfig config;
  private final AttemptHealth health;
  private final AttemptObserver observer;
  private final @Nullable EndpointStats stats;

  public ChatExecutor(UpstreamClient client,
      Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders) {
    this(client, frameReaders, RoutingConfig.DEFAULTS, EndpointHealth.none(), AttemptObserver.NONE);
  }

  public ChatExecutor(UpstreamClient client,
      Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders, RoutingConfig config,
      EndpointHealth health, AttemptObserver observer) {
    this(client, frameReaders, config, health, observer, null);
  }

  /**
   * @param stats where a hedge's percentile delay ({@code routing.hedging.delay: p95}) comes
   *     from; null uses the fixed delay always
   */
  public ChatExecutor(UpstreamClient client,
      Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders, RoutingConfig config,
      EndpointHealth health, AttemptObserver observer, @Nullable EndpointStats stats) {
    this.client = client;
    this.frameReaders = frameReaders;
    this.config = config;
    this.health = new AttemptHealth(health);
    this.observer = observer;
    this.stats = stats;
  }

  /** The routing settings this executor runs by. */
  public RoutingConfig config() {
    return config;
  }

  public Completion complete(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    return completeAsync(request, plan, cancellation).await();
  }

  /**
   * {@link #complete} without waiting, so an event loop may call it: the future fails with {@link
   * AttemptsFailed} or {@link ClientGone} where {@code complete} throws them. It completes on the
   * thread that finished the last attempt (the event loop the upstream answered on).
   */
  public Future<Completion> completeAsync(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    AsyncTry<ChatResponse> tryOne = (attempt, adapter, target, timeouts, cancel) -> {
      UpstreamCall call = call(attempt, adapter.encode(ParameterFit.of(request, attempt.endpoint()).request(), target),
          timeouts, cancel);
      return client.exchange(call).map(response -> {
        if (response.status() / 100 != 2) {
          throw new UpstreamException(adapter.classify(response));
        }
        return adapter.decode(response, target);
      });
    };
    return firstSuccessAsync(plan, cancellation, tryOne, hedge(request))
        .map(served -> new Completion(served.attempt(), served.value(), served.outcomes()));
  }

  /** Opens a stream on the first endpoint that starts answering. */
  public OpenedStream open(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    return openAsync(request, plan, cancellation).await();
  }

  /** {@link #open} without waiting, as {@link #completeAsync} is to {@link #complete}. */
  public Future<OpenedStream> openAsync(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    return firstSuccessAsync(plan, cancellation, streamTry(request), hedge(request)).map(ChatExecutor::opened);
  }

  /**
   * Continues a stream that broke after it started: opens {@code continuation} (the request with
   * the answer so far as its last, assistant, message) on the first endpoint of the plan that was
   * not tried yet and can continue an assistant message ({@link Capability#CONTINUATION}). The
   * attempts count against {@code routing.max_attempts} together with {@code tried}.
   *
   * @param tried every attempt of the request so far
   * @throws NotResumed when no endpoint could take over; the broken stream's error stands
   * @throws ClientGone when the client left meanwhile
   */
  public OpenedStream resume(ChatRequest continuation, RoutePlan plan, List<AttemptOutcome> tried,
      Cancellation cancellation) {
    Set<EndpointId> used = new HashSet<>();
    tried.forEach(outcome -> used.add(outcome.attempt().id()));
    List<Attempt> candidates = plan.attempts().stream()
        .filter(a -> !used.contains(a.id()) && a.provider().adapter().capabilities().contains(Capability.CONTINUATION))
        .toList();
    int budget = config.maxAttempts() - tried.size();
    if (candidates.isEmpty() || budget <= 0) {
      throw new NotResumed(List.of());
    }
    AttemptRace.Result<UpstreamStream> result = race(plan, candidates, cancellation, streamTry(continuation), null,
        budget).run();
    Served<UpstreamStream> served = result.served();
    if (served == null) {
      if (cancellation.isCancelled()) {
        throw new ClientGone(result.outcomes());
      }
      throw new NotResumed(result.outcomes());
    }
    List<AttemptOutcome> outcomes = new java.util.ArrayList<>(served.outcomes());
    outcomes.set(outcomes.size() - 1, outcomes.getLast().asResumed());
    return opened(new Served<>(served.value(), served.attempt(), outcomes));
  }

  private AsyncTry<UpstreamStream> streamTry(ChatRequest request) {
    return (attempt, adapter, target, timeouts, cancel) -> {
      UpstreamCall call = call(attempt, adapter.encode(ParameterFit.of(request, attempt.endpoint()).request(), target),
          timeouts, cancel);
      return client.openStream(call, frameReaders.apply(adapter.framing())).map(start -> switch (start) {
        case StreamStart.Streaming(var stream) -> stream;
        case StreamStart.Rejected(var response) -> throw new UpstreamException(adapter.classify(response));
      });
    };
  }

  private static OpenedStream opened(Served<UpstreamStream> served) {
    Attempt attempt = served.attempt();
    return new OpenedStream(attempt, served.value(),
        attempt.provider().adapter().newStreamDecoder(attempt.target()), served.outcomes());
  }

  /** How long to give an attempt before hedging it, or null when the request is not hedged. */
  private @Nullable Function<Attempt, Duration> hedge(ChatRequest request) {
    if (!RequestSwitches.hedge(request, config)) {
      return null;
    }
    RoutingConfig.Hedging hedging = config.hedging();
    return attempt -> {
      Duration learned = hedging.percentile() == null || stats == null ? null
          : stats.firstTokenPercentile(attempt.id(), hedging.percentile());
      return learned != null ? learned : hedging.delay();
    };
  }

  /**
   * Reports a served request once its answer has ended: a stream that broke after it started
   * counts against its endpoint's health, and statistics and metrics learn its speed.
   */
  public void delivered(Delivery delivery) {
    if (delivery.failure() != null && !delivery.clientGone()) {
      health.record(delivery.served().attempt(), delivery.failure());
    }
    observer.delivered(delivery);
  }

  /**
   * Reports the part of a stream that broke and is being continued elsewhere: its endpoint's health
   * and statistics count the failure; metrics count its tokens, cost and the resume.
   */
  public void resumed(Delivery broken) {
    if (broken.failure() != null) {
      health.record(broken.served().attempt(), broken.failure());
    }
    observer.resumed(broken);
  }

  /** One try at one endpoint; a failure is thrown as an {@link UpstreamException}. */
  @FunctionalInterface
  interface Try<T> {
    T attempt(Attempt attempt, ProviderAdapter adapter, Target target, TimeoutConfig timeouts);
  }

  /**
   * One try at one endpoint, started without waiting for it: the future fails with an {@link
   * UpstreamException} when the attempt does. {@code cancellation} is the attempt's own (a hedge's
   * loser is cancelled alone).
   */
  @FunctionalInterface
  interface AsyncTry<T> {
    Future<T> start(Attempt attempt, ProviderAdapter adapter, Target target, TimeoutConfig timeouts,
        Cancellation cancellation);
  }

  /** What succeeded, where, and everything tried on the way. */
  record Served<T>(T value, Attempt attempt, List<AttemptOutcome> outcomes) {}

  /**
   * Runs {@code tryOne} over the plan until an attempt succeeds or a failure is final. Shared with
   * {@link EmbeddingExecutor}, so every kind of request falls back by the same rules.
   */
  <T> Served<T> firstSuccess(RoutePlan plan, Cancellation cancellation, Try<T> tryOne) {
    return firstSuccess(plan, cancellation, (attempt, adapter, target, timeouts, cancel) -> {
      try {
        return Future.succeededFuture(tryOne.attempt(attempt, adapter, target, timeouts));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }, null);
  }

  private <T> Served<T> firstSuccess(RoutePlan plan, Cancellation cancellation, AsyncTry<T> tryOne,
      @Nullable Function<Attempt, Duration> hedgeDelay) {
    return firstSuccessAsync(plan, cancellation, tryOne, hedgeDelay).await();
  }

  private <T> Future<Served<T>> firstSuccessAsync(RoutePlan plan, Cancellation cancellation, AsyncTry<T> tryOne,
      @Nullable Function<Attempt, Duration> hedgeDelay) {
    return race(plan, plan.attempts(), cancellation, tryOne, hedgeDelay, config.maxAttempts()).start()
        .map(result -> {
          Served<T> served = result.served();
          if (served == null) {
            throw failure(result.outcomes(), cancellation, result.stop());
          }
          return served;
        });
  }

  /** A race over {@code attempts} of at most {@code budget} attempts, within the routing deadline from now. */
  private <T> AttemptRace<T> race(RoutePlan plan, List<Attempt> attempts, Cancellation cancellation,
      AsyncTry<T> tryOne, @Nullable Function<Attempt, Duration> hedgeDelay, int budget) {
    return new AttemptRace<>(plan, attempts, cancellation, tryOne, hedgeDelay, budget,
        System.nanoTime() + config.deadline().toNanos(), health, observer);
  }


  /** Why the loop ended without a success. */
  enum Stop { EXHAUSTED, FINAL, MAX_ATTEMPTS, DEADLINE }

  /**
   * The provider's timeouts, shortened so that neither connecting nor waiting for the first byte
   * outlasts the request's deadline. The idle timeout between a stream's chunks is left alone:
   * once answering has started, the deadline no longer applies.
   */
  static TimeoutConfig within(TimeoutConfig timeouts, Duration remaining) {
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
    AttemptOutcome last = null;
    for (AttemptOutcome outcome : outcomes) {
      if (outcome.role() != AttemptOutcome.Role.HEDGE_LOST) {
        last = outcome; // a hedge's loser was cancelled by us: not the failure to report
      }
    }
    if (last == null) {
      exception = new GatewayException.NoEndpointAvailable(stop == Stop.DEADLINE
          ? "the routing deadline (" + config.deadline().toSeconds() + " s) passed before any endpoint could be tried"
          : "every endpoint of this request became unavailable (circuit open or probed) before it could be tried;"
              + " retry shortly", Map.of("availability", Map.of("code", "temporarily_unavailable", "retryable", true)));
    } else {
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

  /** No endpoint could continue a broken stream; the stream's own failure is what the client gets. */
  public static final class NotResumed extends RuntimeException {
    private final List<AttemptOutcome> outcomes;

    NotResumed(List<AttemptOutcome> outcomes) {
      super("stream not resumed", null, false, false);
      this.outcomes = List.copyOf(outcomes);
    }

    /** The continuation attempts made (all failed); empty when no endpoint could be tried. */
    public List<AttemptOutcome> outcomes() {
      return outcomes;
    }
  }
}

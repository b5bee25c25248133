package dev.switchboard.routing;

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
import dev.switchboard.provider.transport.UpstreamCall;
import dev.switchboard.provider.transport.UpstreamClient;
import dev.switchboard.provider.transport.UpstreamStream;
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
 * <p>Blocking style: call from a virtual thread; waits on Vert.x futures with {@code await}.
 */
public final class ChatExecutor {
  private final UpstreamClient client;
  private final Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders;

  public ChatExecutor(UpstreamClient client,
      Function<dev.switchboard.provider.Framing, Supplier<FrameReader>> frameReaders) {
    this.client = client;
    this.frameReaders = frameReaders;
  }

  public Completion complete(ChatRequest request, RoutePlan plan, Cancellation cancellation) {
    Served<ChatResponse> served = firstSuccess(plan, cancellation, (attempt, adapter, target) -> {
      UpstreamCall call = call(attempt, adapter.encode(ParameterFit.of(request, attempt.endpoint()).request(), target),
          cancellation);
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
    Served<UpstreamStream> served = firstSuccess(plan, cancellation, (attempt, adapter, target) -> {
      UpstreamCall call = call(attempt, adapter.encode(ParameterFit.of(request, attempt.endpoint()).request(), target),
          cancellation);
      return switch (client.openStream(call, frameReaders.apply(adapter.framing())).await()) {
        case StreamStart.Streaming(var stream) -> stream;
        case StreamStart.Rejected(var response) -> throw new UpstreamException(adapter.classify(response));
      };
    });
    Attempt attempt = served.attempt();
    return new OpenedStream(attempt, served.value(),
        attempt.provider().adapter().newStreamDecoder(attempt.target()), served.outcomes());
  }

  /** One try at one endpoint; a failure is thrown as an {@link UpstreamException}. */
  @FunctionalInterface
  interface Try<T> {
    T attempt(Attempt attempt, ProviderAdapter adapter, Target target);
  }

  /** What succeeded, where, and everything tried on the way. */
  record Served<T>(T value, Attempt attempt, List<AttemptOutcome> outcomes) {}

  /**
   * Runs {@code tryOne} over the plan until an attempt succeeds or a failure is final. Shared with
   * {@link EmbeddingExecutor}, so every kind of request falls back by the same rules.
   */
  static <T> Served<T> firstSuccess(RoutePlan plan, Cancellation cancellation, Try<T> tryOne) {
    List<AttemptOutcome> outcomes = new ArrayList<>();
    for (Attempt attempt : plan.attempts()) {
      long start = System.nanoTime();
      UpstreamError error;
      try {
        T value = tryOne.attempt(attempt, attempt.provider().adapter(), attempt.target());
        outcomes.add(new AttemptOutcome(attempt, millisSince(start), null));
        return new Served<>(value, attempt, outcomes);
      } catch (UpstreamException e) {
        error = e.error();
      }
      outcomes.add(new AttemptOutcome(attempt, millisSince(start), error));
      if (cancellation.isCancelled() || !error.retryable()) {
        break;
      }
    }
    throw failure(outcomes, cancellation);
  }

  /** The transport call for one attempt: the encoded request plus the operator's headers. */
  static UpstreamCall call(Attempt attempt, UpstreamRequest encoded, Cancellation cancellation) {
    ConfiguredProvider provider = attempt.provider();
    UpstreamRequest request = encoded;
    if (!provider.headers().isEmpty()) {
      Map<String, String> headers = new HashMap<>(encoded.headers());
      headers.putAll(provider.headers());
      request = new UpstreamRequest(encoded.path(), headers, encoded.body(), encoded.stream());
    }
    return new UpstreamCall(attempt.target(), request, provider.auth(), provider.timeouts(), cancellation);
  }

  private static RuntimeException failure(List<AttemptOutcome> outcomes, Cancellation cancellation) {
    if (cancellation.isCancelled()) {
      return new ClientGone();
    }
    AttemptOutcome last = outcomes.getLast();
    UpstreamError error = last.error();
    if (error == null) {
      throw new IllegalStateException("failure() called after a success");
    }
    GatewayException exception = UpstreamFailures.toClientError(
        error, last.attempt().provider().slug(), outcomes.size());
    return new AttemptsFailed(exception, outcomes);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Every attempt failed; carries the client error and what was tried, for the record. */
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

    public List<AttemptOutcome> outcomes() {
      return outcomes;
    }
  }

  /** The client disconnected while we were still trying; there is no one to answer. */
  public static final class ClientGone extends RuntimeException {
    ClientGone() {
      super("client disconnected", null, false, false);
    }
  }
}

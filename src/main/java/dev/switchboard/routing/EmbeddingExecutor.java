package dev.switchboard.routing;

import dev.switchboard.core.Cancellation;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.EmbeddingResponse;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.EmbeddingAdapter;
import dev.switchboard.provider.UpstreamException;
import dev.switchboard.provider.UpstreamResponse;
import dev.switchboard.provider.transport.UpstreamCall;
import dev.switchboard.provider.transport.UpstreamClient;
import java.util.List;

/**
 * The attempt loop for embeddings: the same loop as chat ({@link ChatExecutor#firstSuccess}), so
 * a retryable failure moves on to the next endpoint and a 400 ends the request, with the
 * embeddings half of the adapter doing the translation.
 *
 * <p>Blocking style: call from a virtual thread; waits on Vert.x futures with {@code await}.
 */
public final class EmbeddingExecutor {
  private final UpstreamClient client;
  private final ChatExecutor attempts;

  /** @param attempts the chat executor whose attempt loop (health, limits, deadline) embeddings share */
  public EmbeddingExecutor(UpstreamClient client, ChatExecutor attempts) {
    this.client = client;
    this.attempts = attempts;
  }

  /** An embeddings request that succeeded on {@code served}, after the given attempts. */
  public record Embedded(Attempt served, EmbeddingResponse response, List<AttemptOutcome> outcomes) {
    public Embedded {
      outcomes = List.copyOf(outcomes);
    }
  }

  /**
   * Embeds on the first endpoint that answers.
   *
   * @throws ChatExecutor.AttemptsFailed when every attempt failed, or one failed for good
   * @throws ChatExecutor.ClientGone when the client disconnected while attempts were running
   */
  public Embedded embed(EmbeddingRequest request, RoutePlan plan, Cancellation cancellation) {
    ChatExecutor.Served<EmbeddingResponse> served = attempts.firstSuccess(plan, cancellation,
        (attempt, adapter, target, timeouts) -> {
          // The planner only routes embeddings to adapters that implement the interface.
          if (!(adapter instanceof EmbeddingAdapter embeddings)) {
            throw new IllegalStateException(adapter + " was planned for embeddings but cannot serve them");
          }
          UpstreamCall call =
              ChatExecutor.call(attempt, embeddings.encodeEmbeddings(request, target), timeouts, cancellation);
          UpstreamResponse response = client.exchange(call).await();
          if (response.status() / 100 != 2) {
            throw new UpstreamException(embeddings.classify(response));
          }
          EmbeddingResponse decoded = embeddings.decodeEmbeddings(response, target);
          if (decoded.vectors().size() != request.inputs().size()) {
            // One vector per input is the contract; a short answer would misalign the client's data.
            throw new UpstreamException(UpstreamError.of(UpstreamError.Kind.MALFORMED, response.status(),
                "the provider returned " + decoded.vectors().size() + " embeddings for "
                    + request.inputs().size() + " inputs"));
          }
          return decoded;
        });
    return new Embedded(served.attempt(), served.value(), served.outcomes());
  }
}

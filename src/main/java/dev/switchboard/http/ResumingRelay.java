package dev.switchboard.http;

import dev.switchboard.core.Cancellation;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.routing.Attempt;
import dev.switchboard.routing.AttemptOutcome;
import dev.switchboard.routing.ChatExecutor;
import dev.switchboard.routing.Continuation;
import dev.switchboard.routing.Delivery;
import dev.switchboard.routing.OpenedStream;
import dev.switchboard.routing.RequestSwitches;
import dev.switchboard.routing.RoutePlan;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Relays a stream to the client and, when it breaks after it started, resumes it: the conversation
 * is replayed to another endpoint with the text so far as the assistant's prefix, and that
 * endpoint's continuation goes to the client through the same {@link StreamWriter}, so the client
 * sees one stream (one id, one role announcement, one finish).
 *
 * <p>A break is resumed when it is retryable (reset, idle timeout, a cut-off body, a retryable
 * in-stream error), nothing but text reached the client (no tool-call deltas, no reasoning), no
 * choice had finished, resume is on for the request ({@code routing.stream_resume}, {@code
 * provider.stream_resume}) and fewer than {@code max_resumes} resumes were made. Otherwise, or when
 * no endpoint can continue, the stream ends with its typed error as it would without resume.
 *
 * <p>Accounting: each part is settled on its own (the provider's usage, or an estimate flagged as
 * such) and priced at its endpoint; the client's usage chunk and the generation carry the sums.
 */
final class ResumingRelay {
  private final ChatExecutor executor;
  private final Settlement settlement;
  private final StreamWriter writer;
  private final HttpServerResponse response;
  private final long startNanos;

  /**
   * How the stream ended.
   *
   * @param served the endpoint that served the last part
   * @param outcomes every attempt that served a part, the last one last (what {@link Delivery} takes)
   * @param explained {@code outcomes} plus continuation attempts that failed, for the explanation
   * @param last how the last part ended
   * @param usage the sum over all parts
   * @param cost the sum over all parts, USD
   * @param lastUsage the last part's own usage
   * @param lastCost the last part's own cost
   * @param firstTokenMillis the client's time to first token, from the request's start
   * @param upstreamId the first part's upstream id
   * @param resumes how many times the stream was continued
   */
  record Result(
      Attempt served,
      List<AttemptOutcome> outcomes,
      List<AttemptOutcome> explained,
      StreamRelay.Outcome last,
      Usage usage,
      BigDecimal cost,
      Usage lastUsage,
      BigDecimal lastCost,
      @Nullable Long firstTokenMillis,
      @Nullable String upstreamId,
      int resumes) {}

  ResumingRelay(ChatExecutor executor, Settlement settlement, StreamWriter writer, HttpServerResponse response,
      long startNanos) {
    this.executor = executor;
    this.settlement = settlement;
    this.writer = writer;
    this.response = response;
    this.startNanos = startNanos;
  }

  /**
   * Relays the stream and returns at once; the future completes when it has ended, resumed or not.
   * The first part is relayed on the event loop; only when it broke and may be resumed does a
   * virtual thread take over, to wait for continuations.
   */
  Future<Result> start(ChatRequest request, RoutePlan plan, OpenedStream opened, Cancellation cancellation) {
    return new StreamRelay(opened.stream(), decoder(request, opened), writer, response, startNanos)
        .start(cancellation)
        .compose(first -> {
          if (!mayResume(request, first, 0)) {
            return Future.succeededFuture(continueFrom(request, plan, opened, first, cancellation));
          }
          Promise<Result> resumed = Promise.promise();
          Thread.startVirtualThread(() -> {
            try {
              resumed.complete(continueFrom(request, plan, opened, first, cancellation));
            } catch (RuntimeException e) {
              resumed.fail(e);
            }
          });
          return resumed.future();
        });
  }

  /** Whether {@code part}, which ended after {@code resumes} resumes, is to be continued elsewhere. */
  private boolean mayResume(ChatRequest request, StreamRelay.Outcome part, int resumes) {
    return RequestSwitches.streamResume(request, executor.config())
        && resumes < executor.config().streamResume().maxResumes() && resumable(part);
  }

  /**
   * Everything after the first part: resumes while it may (blocking: a virtual thread only), then
   * sums the parts up. Without a resume it only sums, and never blocks.
   */
  private Result continueFrom(ChatRequest request, RoutePlan plan, OpenedStream opened, StreamRelay.Outcome first,
      Cancellation cancellation) {
    List<AttemptOutcome> outcomes = new ArrayList<>(opened.outcomes());
    List<AttemptOutcome> failedResumes = new ArrayList<>();
    Attempt serving = opened.served();
    ChatRequest sent = request;
    StreamRelay.Outcome part = first;
    Long firstToken = part.firstTokenMillis();
    String upstreamId = part.upstreamId();
    StringBuilder prefix = new StringBuilder(part.text());
    Usage total = null;
    BigDecimal cost = BigDecimal.ZERO;
    int resumes = 0;
    while (mayResume(request, part, resumes)) {
      Usage used = settlement.usage(part.reportedUsage(), sent, part.completionText());
      BigDecimal partCost = settlement.cost(serving, used, request);
      long completionSoFar = (total == null ? 0 : total.completionTokens()) + used.completionTokens();
      ChatRequest continuation = Continuation.of(request, prefix.toString(), completionSoFar);
      long brokeNanos = System.nanoTime();
      OpenedStream next;
      try {
        next = executor.resume(continuation, plan, outcomes, cancellation);
      } catch (ChatExecutor.NotResumed none) {
        failedResumes.addAll(none.outcomes());
        break;
      } catch (ChatExecutor.ClientGone gone) {
        failedResumes.addAll(gone.outcomes());
        part = gone(part);
        break;
      }
      UpstreamError failure = part.failure();
      executor.resumed(new Delivery(outcomes, true, firstTokenNanos(part), brokeNanos, used, partCost,
          failure, false));
      int index = outcomes.size() - 1;
      outcomes.set(index, outcomes.get(index).broken(failure == null ? UpstreamError.of(
          UpstreamError.Kind.OTHER, 0, "stream broke") : failure, used, partCost));
      outcomes.addAll(failedResumes); // continuation attempts that failed before this one served
      failedResumes.clear();
      outcomes.addAll(next.outcomes());
      total = sum(total, used);
      cost = cost.add(partCost);
      serving = next.served();
      sent = continuation;
      resumes++;
      part = new StreamRelay(next.stream(), decoder(request, next), writer, response, startNanos, true,
          Continuation.trimsLeading(prefix.toString())).run(cancellation);
      prefix.append(part.text());
    }
    Usage lastUsage = settlement.usage(part.reportedUsage(), sent, part.completionText());
    BigDecimal lastCost = settlement.cost(serving, lastUsage, request);
    List<AttemptOutcome> explained = new ArrayList<>(outcomes);
    explained.addAll(failedResumes);
    return new Result(serving, outcomes, explained, part, sum(total, lastUsage), cost.add(lastCost), lastUsage,
        lastCost, firstToken, upstreamId, resumes);
  }

  /** The part's decoder, without reasoning when the request excludes it. */
  private static StreamDecoder decoder(ChatRequest request, OpenedStream opened) {
    return ReasoningExclusion.requested(request) ? ReasoningExclusion.strip(opened.decoder()) : opened.decoder();
  }

  /** The last part's first token as {@link System#nanoTime()}, for its endpoint's statistics; null when it had none. */
  @Nullable Long firstTokenNanos(StreamRelay.Outcome part) {
    return part.firstTokenMillis() == null ? null : startNanos + part.firstTokenMillis() * 1_000_000;
  }

  private boolean resumable(StreamRelay.Outcome part) {
    UpstreamError failure = part.failure();
    return failure != null && failure.retryable() && !part.clientGone() && part.finishReason() == null
        && !part.toolCalls() && !part.reasoning() && !response.closed();
  }

  /** {@code part}, as ended by the client leaving while its continuation was being sought. */
  private static StreamRelay.Outcome gone(StreamRelay.Outcome part) {
    return new StreamRelay.Outcome(part.reportedUsage(), part.finishReason(), part.nativeFinishReason(),
        part.failure(), true, part.completionText(), part.firstTokenMillis(), part.upstreamId(), part.text(),
        part.toolCalls(), part.reasoning());
  }

  /** Token counts added up; a count stays "not reported" only when no part reported it. */
  static Usage sum(@Nullable Usage a, Usage b) {
    if (a == null) {
      return b;
    }
    return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
        sum(a.cachedTokens(), b.cachedTokens()), sum(a.cacheWriteTokens(), b.cacheWriteTokens()),
        sum(a.reasoningTokens(), b.reasoningTokens()), a.estimated() || b.estimated());
  }

  private static @Nullable Long sum(@Nullable Long a, @Nullable Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Long.valueOf(a + b); // boxed: a ternary typed long would unbox a null

  }
}

package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.CostCalculator;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.accounting.InFlightAttempt;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.accounting.WorstCase;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.EmbeddingRequest;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.GatewayException;
import dev.switchboard.core.Message;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.provider.transport.UpstreamAuth;
import dev.switchboard.routing.Attempt;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.Money;
import dev.switchboard.store.Settling;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Settles a request: decides the usage to bill (reported, or estimated when the provider said
 * nothing), prices it, and writes the generation durably before the response completes.
 */
final class Settlement {
  private final GenerationLedger ledger;
  private final TokenEstimator estimator;
  private final BigDecimal byokFee;

  /** @param byokFee the share of its price a request served with the account's own key costs */
  Settlement(GenerationLedger ledger, TokenEstimator estimator, BigDecimal byokFee) {
    this.ledger = ledger;
    this.estimator = estimator;
    this.byokFee = byokFee;
  }

  /**
   * Journals the request before its first upstream attempt and returns once the journal row is
   * durable (blocks the virtual thread). From here on the request is accounted for: it settles
   * through {@link #record}, or, if this process dies first, it is recovered at {@code estimate}.
   */
  void start(String id, Principal principal, String model, boolean streamed, Attempt first,
      WorstCase estimate) {
    Future.fromCompletionStage(begin(id, principal, model, streamed, first, estimate)).await();
  }

  /** {@link #start} without waiting: the future completes once the journal row is durable. */
  CompletableFuture<Void> begin(String id, Principal principal, String model, boolean streamed, Attempt first,
      WorstCase estimate) {
    return ledger.start(new InFlightAttempt(id, principal.keyHash(), principal.accountId(), model,
        first.provider().slug(), first.endpoint().providerModelId(), streamed, estimate, Instant.now()));
  }

  /** Whether an attempt ran on the account's own provider key. */
  static boolean byok(@Nullable Attempt attempt) {
    return attempt != null && attempt.provider().auth() instanceof UpstreamAuth.Byok;
  }

  /** The usage to bill: what the provider reported, else a tokenizer estimate marked as such. */
  Usage usage(@Nullable Usage reported, ChatRequest request, String completionText) {
    if (reported != null) {
      return reported;
    }
    return new Usage(estimator.prompt(request), estimator.count(completionText), null, null, null, true);
  }

  /** The usage to bill for embeddings: the reported prompt tokens, else an estimate of the inputs. */
  Usage usage(@Nullable Usage reported, EmbeddingRequest request) {
    if (reported != null) {
      return reported;
    }
    return new Usage(inputTokens(request), 0, null, null, null, true);
  }

  /** The estimated tokens of every input of an embeddings request. */
  long inputTokens(EmbeddingRequest request) {
    long tokens = 0;
    for (String input : request.inputs()) {
      tokens += estimator.count(input);
    }
    return tokens;
  }

  /** The price of the usage; with the account's own key, the BYOK fee's share of it. */
  BigDecimal cost(Attempt served, Usage usage, ChatRequest request) {
    return withFee(served, CostCalculator.cost(served.endpoint().pricing(), usage, imageCount(request)));
  }

  /** The cost of a request without images (embeddings). */
  BigDecimal cost(Attempt served, Usage usage) {
    return withFee(served, CostCalculator.cost(served.endpoint().pricing(), usage, 0));
  }

  private BigDecimal withFee(Attempt served, BigDecimal price) {
    return byok(served) ? price.multiply(byokFee) : price;
  }

  /**
   * Writes the record, with its charge; returns once both are durable (blocks the virtual thread,
   * not a carrier). Then tells the admission ticket the real cost, so that releasing its
   * reservation accounts for all of it.
   */
  void record(Admission.Ticket ticket, GenerationRecord generation) {
    record(generation);
    ticket.settle(Money.toUsd(generation.costNanos()));
  }

  /**
   * Writes the record of a journaled request, with its charge, deleting its journal row; returns
   * once all of it is committed.
   */
  void record(GenerationRecord generation) {
    Future.fromCompletionStage(settle(generation).committed()).await();
  }

  /** {@link #record(GenerationRecord)} without waiting. */
  Settling settle(GenerationRecord generation) {
    return ledger.settle(generation);
  }

  /**
   * Waits (on a virtual thread) until the books hold every request answered so far, which may
   * have been answered before its commit: called before a read of generations, usage or credits.
   */
  static void awaitBooks(GenerationLedger ledger) {
    Future.fromCompletionStage(ledger.caughtUp()).await();
  }

  static GenerationRecord generation(String id, Principal principal, ChatRequest request,
      @Nullable Attempt attempt, Outcome outcome, long startNanos) {
    return generation(id, principal, request.model(), request.stream(), attempt, outcome, startNanos);
  }

  /**
   * The record of any request.
   *
   * @param requestedModel recorded when no attempt was made
   */
  static GenerationRecord generation(String id, Principal principal, String requestedModel, boolean streamed,
      @Nullable Attempt attempt, Outcome outcome, long startNanos) {
    String finish = outcome.finishReason();
    return new GenerationRecord(
        id, principal.keyHash(), principal.accountId(),
        attempt == null ? requestedModel : attempt.model().id(),
        attempt == null ? null : attempt.provider().slug(),
        attempt == null ? null : attempt.endpoint().providerModelId(),
        outcome.upstreamId(), GenerationRecord.Status.parse(outcome.status()),
        finish == null ? null : FinishReason.valueOf(finish.toUpperCase(Locale.ROOT)), outcome.nativeFinishReason(),
        streamed, outcome.usage() == null ? Usage.ZERO : outcome.usage(), Money.toNanos(outcome.cost()),
        (System.nanoTime() - startNanos) / 1_000_000, outcome.firstTokenMillis(), outcome.attempts(),
        outcome.errorCode(), outcome.errorMessage(), Instant.now(), false, byok(attempt));
  }

  /** What the request came to, as recorded. */
  record Outcome(
      String status,
      @Nullable String upstreamId,
      @Nullable String finishReason,
      @Nullable String nativeFinishReason,
      @Nullable Usage usage,
      BigDecimal cost,
      @Nullable Long firstTokenMillis,
      int attempts,
      @Nullable Integer errorCode,
      @Nullable String errorMessage) {

    static Outcome failed(String status, int attempts, int errorCode, String message) {
      return new Outcome(status, null, null, null, null, BigDecimal.ZERO, null, attempts, errorCode, message);
    }

    /**
     * A request that an exception ended before it settled: a gateway error with its status and
     * message, anything else as a 500 whose message says no more than "internal error".
     */
    static Outcome interruptedBy(RuntimeException e) {
      return e instanceof GatewayException g
          ? failed("error", 1, g.status(), g.getMessage())
          : failed("error", 1, 500, "internal error");
    }
  }

  private static int imageCount(ChatRequest request) {
    int images = 0;
    for (Message message : request.messages()) {
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Image) {
          images++;
        }
      }
    }
    return images;
  }
}

package dev.switchboard.http;

import dev.switchboard.accounting.Admission;
import dev.switchboard.accounting.CostCalculator;
import dev.switchboard.accounting.Generation;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.accounting.TokenEstimator;
import dev.switchboard.core.ChatRequest;
import dev.switchboard.core.ContentPart;
import dev.switchboard.core.Message;
import dev.switchboard.core.Principal;
import dev.switchboard.core.Usage;
import dev.switchboard.routing.Attempt;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Settles a request: decides the usage to bill (reported, or estimated when the provider said
 * nothing), prices it, and writes the generation durably before the response completes.
 */
final class Settlement {
  private final GenerationLedger ledger;
  private final TokenEstimator estimator;

  Settlement(GenerationLedger ledger, TokenEstimator estimator) {
    this.ledger = ledger;
    this.estimator = estimator;
  }

  /** The usage to bill: what the provider reported, else a tokenizer estimate marked as such. */
  Usage usage(@Nullable Usage reported, ChatRequest request, String completionText) {
    if (reported != null) {
      return reported;
    }
    return new Usage(estimator.prompt(request), estimator.count(completionText), null, null, null, true);
  }

  BigDecimal cost(Attempt served, Usage usage, ChatRequest request) {
    return CostCalculator.cost(served.endpoint().pricing(), usage, imageCount(request));
  }

  /**
   * Writes the record, with its charge; returns once both are durable (blocks the virtual thread,
   * not a carrier). Then tells the admission ticket the real cost, so that releasing its
   * reservation accounts for all of it.
   */
  void record(Admission.Ticket ticket, Generation generation) {
    Future.fromCompletionStage(ledger.record(generation)).await();
    ticket.settle(generation.costUsd());
  }

  static Generation generation(String id, Principal principal, ChatRequest request,
      @Nullable Attempt attempt, Outcome outcome, long startNanos) {
    return new Generation(
        id, principal.keyHash(), principal.accountId(),
        attempt == null ? request.model() : attempt.model().id(),
        attempt == null ? null : attempt.provider().slug(),
        attempt == null ? null : attempt.endpoint().providerModelId(),
        outcome.upstreamId(), outcome.status(), outcome.finishReason(), outcome.nativeFinishReason(),
        request.stream(), outcome.usage(), outcome.cost(),
        (System.nanoTime() - startNanos) / 1_000_000, outcome.firstTokenMillis(), outcome.attempts(),
        outcome.errorCode(), outcome.errorMessage(), Instant.now());
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

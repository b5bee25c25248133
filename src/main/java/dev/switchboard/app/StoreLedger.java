package dev.switchboard.app;

import dev.switchboard.accounting.DailyUsage;
import dev.switchboard.accounting.Generation;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.accounting.InFlightAttempt;
import dev.switchboard.core.FinishReason;
import dev.switchboard.core.Usage;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.InFlight;
import dev.switchboard.store.Money;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The generation ledger on the store: group-committed writes (each record with its charge and
 * usage counters, and the attempt journal, see {@link GenerationRepository#commit}), direct reads.
 * Thread-safe.
 */
final class StoreLedger implements GenerationLedger {
  private final GenerationWriter writer;
  private final GenerationRepository repository;
  private final String nodeId;

  /** @param nodeId the node whose journal rows this ledger writes ({@code NodeJournal#id}) */
  StoreLedger(GenerationWriter writer, GenerationRepository repository, String nodeId) {
    this.writer = writer;
    this.repository = repository;
    this.nodeId = nodeId;
  }

  @Override
  public CompletableFuture<Void> record(Generation g) {
    return writer.submit(toRecord(g));
  }

  @Override
  public CompletableFuture<Void> start(InFlightAttempt a) {
    return writer.start(new InFlight(a.generationId(), nodeId, a.keyHash(), a.accountId(), a.model(),
        a.provider(), a.providerModel(), a.streamed(), a.estimate().promptTokens(),
        a.estimate().completionTokens(), a.estimate().costNanos(), a.startedAt()));
  }

  @Override
  public CompletableFuture<Void> settle(Generation g) {
    return writer.settle(toRecord(g));
  }

  private static GenerationRecord toRecord(Generation g) {
    return new GenerationRecord(
        g.id(), g.keyHash(), g.accountId(), g.model(), g.provider(), g.providerModel(), g.upstreamId(),
        GenerationRecord.Status.parse(g.status()),
        g.finishReason() == null ? null : FinishReason.valueOf(g.finishReason().toUpperCase(Locale.ROOT)),
        g.nativeFinishReason(), g.streamed(), g.usage() == null ? Usage.ZERO : g.usage(),
        Money.toNanos(g.costUsd()), g.latencyMillis(), g.firstTokenMillis(), g.attempts(), g.errorCode(),
        g.errorMessage(), g.createdAt(), g.recovered(), g.byok());
  }

  @Override
  public Optional<Generation> find(String id) {
    return repository.find(id).map(r -> new Generation(
        r.id(), r.keyHash(), r.accountId(), r.model(), r.provider(), r.providerModel(), r.upstreamId(),
        r.status().wireName(), r.finishReason() == null ? null : r.finishReason().wireName(),
        r.nativeFinishReason(), r.streamed(), r.usage(), Money.toUsd(r.costNanos()), r.latencyMs(),
        r.firstTokenMs(), r.attempts(), r.errorCode(), r.errorMessage(), r.createdAt(), r.recovered(),
        r.byok()));
  }

  @Override
  public List<DailyUsage> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
    return repository.activity(from, to, keyHash).stream()
        .map(r -> new DailyUsage(r.date(), r.model(), r.provider(), r.requests(), r.promptTokens(),
            r.completionTokens(), r.reasoningTokens(), Money.toUsd(r.costNanos())))
        .toList();
  }
}

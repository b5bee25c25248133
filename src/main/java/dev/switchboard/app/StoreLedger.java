package dev.switchboard.app;

import dev.switchboard.accounting.DailyUsage;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.accounting.InFlightAttempt;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.GenerationRepository;
import dev.switchboard.store.GenerationWriter;
import dev.switchboard.store.InFlight;
import dev.switchboard.store.Money;
import dev.switchboard.store.Settling;
import java.time.LocalDate;
import java.util.List;
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
  public CompletableFuture<Void> record(GenerationRecord generation) {
    return writer.submit(generation);
  }

  @Override
  public CompletableFuture<Void> start(InFlightAttempt a) {
    return writer.start(new InFlight(a.generationId(), nodeId, a.keyHash(), a.accountId(), a.model(),
        a.provider(), a.providerModel(), a.streamed(), a.estimate().promptTokens(),
        a.estimate().completionTokens(), a.estimate().costNanos(), a.startedAt()));
  }

  @Override
  public Settling settle(GenerationRecord generation) {
    return writer.settle(generation);
  }

  @Override
  public CompletableFuture<Void> caughtUp() {
    return writer.caughtUp();
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return repository.find(id);
  }

  @Override
  public List<DailyUsage> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
    return repository.activity(from, to, keyHash).stream()
        .map(r -> new DailyUsage(r.date(), r.model(), r.provider(), r.requests(), r.promptTokens(),
            r.completionTokens(), r.reasoningTokens(), Money.toUsd(r.costNanos())))
        .toList();
  }
}

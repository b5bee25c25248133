package dev.switchboard.limits;

import static java.util.Objects.requireNonNull;

import dev.switchboard.accounting.DailyUsage;
import dev.switchboard.accounting.GenerationLedger;
import dev.switchboard.accounting.InFlightAttempt;
import dev.switchboard.core.Usage;
import dev.switchboard.store.GenerationRecord;
import dev.switchboard.store.Settling;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GenerationLedger} that tells {@link RateLimits} each generation's real token usage as
 * it is recorded, so token buckets charged with a prompt estimate at admission are corrected.
 * Every chat and embeddings request records exactly one generation, success or not, which makes
 * this the one place all of them pass. Thread-safe.
 */
public final class SettlingLedger implements GenerationLedger {
  private final GenerationLedger delegate;
  private final RateLimits limits;

  public SettlingLedger(GenerationLedger delegate, RateLimits limits) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.limits = requireNonNull(limits, "limits");
  }

  @Override
  public CompletableFuture<Void> record(GenerationRecord generation) {
    correct(generation);
    return delegate.record(generation);
  }

  @Override
  public CompletableFuture<Void> start(InFlightAttempt attempt) {
    return delegate.start(attempt);
  }

  @Override
  public Settling settle(GenerationRecord generation) {
    correct(generation);
    return delegate.settle(generation);
  }

  @Override
  public CompletableFuture<Void> caughtUp() {
    return delegate.caughtUp();
  }

  private void correct(GenerationRecord generation) {
    Usage usage = generation.usage();
    limits.settled(generation.id(), usage == null ? 0 : usage.promptTokens() + usage.completionTokens());
  }

  @Override
  public Optional<GenerationRecord> find(String id) {
    return delegate.find(id);
  }

  @Override
  public List<DailyUsage> activity(LocalDate from, LocalDate to, @Nullable String keyHash) {
    return delegate.activity(from, to, keyHash);
  }
}

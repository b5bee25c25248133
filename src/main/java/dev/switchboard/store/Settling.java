package dev.switchboard.store;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * A settlement's two moments. {@code durable}: the settlement survives this process (its record is
 * committed, or journaled as settled, which recovery stores as it is), so the client may be
 * answered. {@code committed}: the record, its charge and usage counters are in the store, so
 * whatever the request holds until then (its reservation) may go. Without a journal that takes
 * settled lines they are the same future.
 *
 * @param durable fails only when {@code committed} fails and is the same future
 * @param committed fails with the store's failure; the request is then recovered at the next start
 */
public record Settling(CompletableFuture<Void> durable, CompletableFuture<Void> committed) {
  public Settling {
    requireNonNull(durable, "durable");
    requireNonNull(committed, "committed");
  }

  /** A settlement that is durable when it is committed. */
  public static Settling atCommit(CompletableFuture<Void> committed) {
    return new Settling(committed, committed);
  }

  /** Whether the client may be answered before the commit. */
  public boolean durableFirst() {
    return durable != committed;
  }
}

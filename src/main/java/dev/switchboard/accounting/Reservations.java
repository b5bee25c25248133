package dev.switchboard.accounting;

import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Where {@link Admission} holds the spending it has reserved for requests in flight: in this
 * process ({@link LocalReservations}, the default), or shared by a cluster's nodes ({@code
 * cluster.RedisReservations}) so that N nodes do not each reserve against the same remainder.
 *
 * <p>Per account and per key two figures are kept: what is reserved now, and what has been
 * released in all (a counter that only grows). A reader notes the released totals ({@link #marks})
 * before reading the committed spending from the store, so that a request which settled meanwhile
 * is counted as held rather than in neither place. Implementations are thread-safe.
 */
public interface Reservations {

  /** The released totals now, to note before reading the store. */
  Marks marks(String accountId, String keyHash);

  /**
   * Atomically with respect to every other reservation of the account: works out what is held
   * for the key and the account (reserved, plus released since {@code marks}), asks {@code decide}
   * how much to reserve given that, and reserves it.
   *
   * @param room what the caps leave before anything is held (null where there is no cap): a store
   *     that cannot hold a lock across {@code decide} reserves only while the amount still fits
   *     in it, and asks again otherwise
   * @param decide returns the nano-USD to reserve; throws to refuse (nothing is reserved then)
   */
  Hold reserve(String accountId, String keyHash, Marks marks, Room room, ToLongFunction<Held> decide);

  /** What the caps leave, in nano-USD, before anything held is counted; null where uncapped. */
  record Room(@Nullable Long key, @Nullable Long account) {}

  /**
   * Ends a hold: its reservation is removed and {@code releasedNanos} (what the request was charged, above or below the reservation)
   * is added to the released totals. Called once per hold.
   */
  void release(Hold hold, long releasedNanos);

  /**
   * Changes what {@code hold} reserves to {@code nanos}: for a request whose real cost is known
   * (its client answered) before its charge is committed, so that until the release it holds what
   * it spent rather than its worst case. Returns the hold to release; a hold already dropped (its
   * lease ran out) stays dropped.
   */
  Hold resize(Hold hold, long nanos);

  /** Released totals, in nano-USD. */
  record Marks(long keyReleased, long accountReleased) {}

  /** What is held (reserved, plus released since the marks), in nano-USD. */
  record Held(long key, long account) {}

  /**
   * A reservation.
   *
   * @param id unique per hold (a cluster store keys its lease by it)
   * @param shared whether it is held in the shared store (else in the node's own fallback)
   */
  record Hold(String id, String accountId, String keyHash, long nanos, boolean shared) {}
}

package dev.switchboard.accounting;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What a key may still spend, as committed in the store: the caps admission checks a request
 * against. Implementations are thread-safe; {@link #caps} may block on the store (one or two row
 * reads), so call it off event loops.
 */
public interface Budgets {

  /**
   * Whether every account's credit balance caps its spending ({@code accounting.require_credits}).
   * When false, only key limits are enforced.
   */
  boolean creditsRequired();

  /** The caps on {@code keyHash}'s spending now; {@link Caps#NONE} when nothing caps it. */
  Caps caps(String keyHash, String accountId);

  /**
   * The caps on one key's spending, each null when it does not apply.
   *
   * @param key the key's own limit in its current window
   * @param account the account's credits, when {@link #creditsRequired()}
   */
  record Caps(@Nullable Cap key, @Nullable Cap account) {
    public static final Caps NONE = new Caps(null, null);
  }

  /**
   * One cap: {@code capNanos} may be spent, {@code spentNanos} has been (committed, not counting
   * requests in flight).
   *
   * @param what how a person would name it, e.g. "this key's monthly limit of $5.00"
   * @param remedy what to do when it is used up, as a sentence
   */
  record Cap(long capNanos, long spentNanos, String what, String remedy) {
    public Cap {
      requireNonNull(what, "what");
      requireNonNull(remedy, "remedy");
    }

    public long remainingNanos() {
      return capNanos - spentNanos;
    }
  }
}

package dev.switchboard.accounting;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * {@link Reservations} in this process: per account a small state object guarded by its own
 * monitor, holding the account's and its keys' reserved and released figures. One entry per
 * account and per key that has made a capped request; keys are made by people, so this stays
 * small. Thread-safe.
 */
public final class LocalReservations implements Reservations {
  private final Map<String, AccountState> accounts = new ConcurrentHashMap<>();

  @Override
  public Marks marks(String accountId, String keyHash) {
    AccountState account = account(accountId);
    synchronized (account) {
      return new Marks(account.key(keyHash).released, account.released);
    }
  }

  @Override
  public Hold reserve(String accountId, String keyHash, Marks marks, Room room, ToLongFunction<Held> decide) {
    AccountState account = account(accountId);
    synchronized (account) {
      KeyState key = account.key(keyHash);
      long nanos = decide.applyAsLong(new Held(key.reserved + key.released - marks.keyReleased(),
          account.reserved + account.released - marks.accountReleased()));
      key.reserved += nanos;
      account.reserved += nanos;
      return new Hold(UUID.randomUUID().toString(), accountId, keyHash, nanos, false);
    }
  }

  @Override
  public void release(Hold hold, long releasedNanos) {
    AccountState account = account(hold.accountId());
    synchronized (account) {
      KeyState key = account.key(hold.keyHash());
      key.reserved -= hold.nanos();
      key.released += releasedNanos;
      account.reserved -= hold.nanos();
      account.released += releasedNanos;
    }
  }

  @Override
  public Hold resize(Hold hold, long nanos) {
    AccountState account = account(hold.accountId());
    synchronized (account) {
      long change = nanos - hold.nanos();
      account.key(hold.keyHash()).reserved += change;
      account.reserved += change;
    }
    return new Hold(hold.id(), hold.accountId(), hold.keyHash(), nanos, hold.shared());
  }

  private AccountState account(String accountId) {
    return accounts.computeIfAbsent(accountId, id -> new AccountState());
  }

  /** Reserved and released nano-USD of one key; guarded by its account's monitor. */
  private static final class KeyState {
    long reserved;
    long released;
  }

  /** Reserved and released nano-USD of one account and its keys; guarded by its own monitor. */
  private static final class AccountState {
    long reserved;
    // Only ever grows: a reader compares it before and after reading the store.
    long released;
    final Map<String, KeyState> keys = new HashMap<>();

    KeyState key(String keyHash) {
      return keys.computeIfAbsent(keyHash, hash -> new KeyState());
    }
  }
}

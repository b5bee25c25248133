package dev.switchboard.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API keys by hash. Implementations are thread-safe and see writes made by other processes on the
 * same database at once (no caching here; {@code keys.KeyService} caches).
 */
public interface KeyRepository {

  /**
   * Stores a new key.
   *
   * @throws StoreException if a key with the same hash exists, or its account does not
   */
  void insert(ApiKey key);

  /** The key with this hash, enabled or not. */
  Optional<ApiKey> find(String hash);

  /** Every key, oldest first. Key tables are small (people create them). */
  List<ApiKey> list();

  /**
   * One page of keys, oldest first (then by hash, so pages are stable).
   *
   * @param includeDisabled whether disabled keys are listed (and counted for the offset)
   */
  List<ApiKey> page(int offset, int limit, boolean includeDisabled);

  /**
   * Stores a key's new name, disabled flag, limit, limit reset, expiry and update time (the rest is
   * fixed at creation).
   *
   * @return false if no key has its hash
   */
  boolean update(ApiKey key);

  /**
   * Deletes a key and its usage counters. Its generation records and ledger entries stay: they are
   * history, and name the key only by hash.
   *
   * @return false if no key had this hash
   */
  boolean delete(String hash);

  /**
   * What the key has spent as of {@code now}, from running counters (one row, whatever its
   * history); {@link KeyUsage#ZERO} if it has spent nothing or is unknown.
   */
  KeyUsage usage(String hash, Instant now);

  /**
   * Disables a key (revocation keeps the row, so generation records still name it).
   *
   * @return true if it was enabled and now is not; false if it was already disabled or is unknown
   */
  boolean disable(String hash, Instant at);
}

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

  /** Every key, oldest first. Key tables are small (people create them), so no paging yet. */
  List<ApiKey> list();

  /**
   * Disables a key (revocation keeps the row, so generation records still name it).
   *
   * @return true if it was enabled and now is not; false if it was already disabled or is unknown
   */
  boolean disable(String hash, Instant at);
}

package dev.switchboard.store;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Caches of what requests read from the store on every call (a key, its rate limits, an account's
 * own provider keys), refreshed ahead of their expiry.
 *
 * <p>An entry is trusted for the TTL and never served older. Once half of the TTL has passed, the
 * first request that reads it still gets it at once, and the entry is reloaded in the background.
 * So a key in steady use (a request at least every TTL) never makes a request wait for the store,
 * where plain expiry made one request per TTL pay a store read on a worker thread (0.4–0.8 ms at
 * low load on the bench VM, docs/performance.md round 9).
 */
public final class ReadCache {
  private static final System.Logger LOG = System.getLogger(ReadCache.class.getName());

  /**
   * Background reloads, one virtual thread each: a reload blocks on JDBC, and a request must never
   * wait for it.
   */
  public static final Executor RELOADS = task -> Thread.ofVirtual().name("store-cache-reload").start(task);

  private ReadCache() {}

  /**
   * A cache of up to {@code maxSize} entries, each trusted for {@code ttl} and reloaded by {@code
   * loader} in the background once half of it has passed; {@link Duration#ZERO} disables caching.
   */
  public static <K, V> LoadingCache<K, V> refreshedAhead(Duration ttl, long maxSize, CacheLoader<K, V> loader) {
    return refreshedAhead(ttl, maxSize, loader, Ticker.systemTicker());
  }

  /** {@link #refreshedAhead(Duration, long, CacheLoader)} on {@code ticker}'s time (tests move it). */
  static <K, V> LoadingCache<K, V> refreshedAhead(Duration ttl, long maxSize, CacheLoader<K, V> loader,
      Ticker ticker) {
    Caffeine<Object, Object> builder = Caffeine.newBuilder().ticker(ticker).maximumSize(maxSize)
        .expireAfterWrite(ttl)
        // Housekeeping on the calling thread, as before: a thread for each run of it would be a
        // hand-off per few hundred reads for nothing. Only reloads go to RELOADS.
        .executor(Runnable::run);
    if (ttl.isPositive()) {
      builder.refreshAfterWrite(ttl.dividedBy(2));
    }
    return builder.build(new ReloadingApart<>(loader));
  }

  /**
   * {@code loader}, whose reloads run on {@link #RELOADS} rather than on the cache's executor. A
   * reload that fails drops the entry, so the next read loads it itself and meets the failure as a
   * cache miss always did (a store outage is then answered and logged once, by the request path),
   * rather than Caffeine logging a stack trace per failed reload.
   */
  private record ReloadingApart<K, V>(CacheLoader<K, V> loader) implements CacheLoader<K, V> {
    @Override
    public V load(K key) throws Exception {
      return loader.load(key);
    }

    @Override
    public CompletableFuture<? extends @Nullable V> asyncReload(K key, V oldValue, Executor executor) {
      return CompletableFuture.supplyAsync(() -> {
        try {
          return loader.reload(key, oldValue);
        } catch (Exception e) {
          LOG.log(Level.DEBUG, "a background reload failed; the entry is dropped: {0}", e.getMessage());
          return null;
        }
      }, RELOADS);
    }
  }
}

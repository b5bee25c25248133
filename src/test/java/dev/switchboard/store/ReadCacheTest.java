package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The caches' time is a fake ticker moved by the tests, so no assertion depends on the machine's speed. */
class ReadCacheTest {
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final long PAST_HALF = TTL.dividedBy(2).plusMillis(1).toNanos();

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger version = new AtomicInteger(1);
  private final CountDownLatch reloadMayAnswer = new CountDownLatch(1);
  private final CompletableFuture<Thread> reloadedOn = new CompletableFuture<>();
  private final Thread caller = Thread.currentThread();

  private String load(String key) throws InterruptedException {
    if (Thread.currentThread() != caller) {
      reloadedOn.complete(Thread.currentThread());
      reloadMayAnswer.await();
    }
    return key + "@" + version.get();
  }

  private LoadingCache<String, String> cache(Duration ttl) {
    return ReadCache.refreshedAhead(ttl, 10, this::load, now::get);
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  @Test
  void pastHalfTheTtlAReadIsAnsweredAtOnceAndTheEntryIsReloadedInTheBackground() throws Exception {
    LoadingCache<String, String> cache = cache(TTL);
    assertThat(cache.get("key")).isEqualTo("key@1");

    now.set(PAST_HALF);
    version.set(2);
    assertThat(cache.getIfPresent("key")).as("the kept entry, while its reload waits").isEqualTo("key@1");
    assertThat(reloadedOn.get(5, TimeUnit.SECONDS)).as("reloaded off the reader's thread").isNotSameAs(caller);

    reloadMayAnswer.countDown();
    // The ticker stands still, so nothing but the reload can replace the entry.
    eventually("the reload replaces the entry", () -> "key@2".equals(cache.getIfPresent("key")));
  }

  @Test
  void beforeHalfTheTtlNothingIsReloaded() {
    LoadingCache<String, String> cache = cache(TTL);
    assertThat(cache.get("key")).isEqualTo("key@1");

    now.set(PAST_HALF - TimeUnit.MILLISECONDS.toNanos(2));
    version.set(2);

    assertThat(cache.getIfPresent("key")).isEqualTo("key@1");
    assertThat(reloadedOn).isNotDone();
  }

  @Test
  void aReloadThatFailsDropsTheEntrySoTheNextReadLoadsItItself() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    AtomicInteger failing = new AtomicInteger();
    LoadingCache<String, String> cache = ReadCache.refreshedAhead(TTL, 10, key -> {
      loads.incrementAndGet();
      if (failing.get() > 0) {
        throw new StoreException("the store is down");
      }
      return key + "@" + version.get();
    }, now::get);
    assertThat(cache.get("key")).isEqualTo("key@1");

    now.set(PAST_HALF);
    failing.set(1);
    assertThat(cache.getIfPresent("key")).as("the kept entry, while it reloads").isEqualTo("key@1");
    eventually("the failed reload drops the entry", () -> cache.getIfPresent("key") == null);
    assertThat(loads.get()).as("the first load and one reload").isEqualTo(2);

    failing.set(0);
    version.set(2);
    assertThat(cache.get("key")).isEqualTo("key@2");
  }

  @Test
  void anEntryIsNeverServedOlderThanTheTtl() {
    reloadMayAnswer.countDown();
    LoadingCache<String, String> cache = cache(TTL);
    assertThat(cache.get("key")).isEqualTo("key@1");
    version.set(2);

    now.set(TTL.toNanos()); // no read in between: nothing was reloaded

    assertThat(cache.getIfPresent("key")).isNull();
    assertThat(cache.get("key")).isEqualTo("key@2");
  }

  @Test
  void aZeroTtlCachesNothing() {
    LoadingCache<String, String> cache = cache(Duration.ZERO);

    assertThat(cache.get("key")).isEqualTo("key@1");
    version.set(2);

    assertThat(cache.getIfPresent("key")).isNull();
    assertThat(cache.get("key")).isEqualTo("key@2");
  }
}

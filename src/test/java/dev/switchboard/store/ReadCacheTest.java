package dev.switchboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadCacheTest {
  private static final Duration TTL = Duration.ofSeconds(2);

  private final AtomicInteger version = new AtomicInteger(1);
  private final CountDownLatch reloadMayAnswer = new CountDownLatch(1);
  private final CompletableFuture<Thread> reloadedOn = new CompletableFuture<>();
  private Thread caller = Thread.currentThread();

  private String load(String key) throws InterruptedException {
    if (Thread.currentThread() != caller) {
      reloadedOn.complete(Thread.currentThread());
      reloadMayAnswer.await();
    }
    return key + "@" + version.get();
  }

  @Test
  void pastHalfTheTtlAReadIsAnsweredAtOnceAndTheEntryIsReloadedInTheBackground() throws Exception {
    caller = Thread.currentThread();
    LoadingCache<String, String> cache = ReadCache.refreshedAhead(TTL, 10, this::load);
    long loadedAt = System.nanoTime();
    assertThat(cache.get("key")).isEqualTo("key@1");

    Thread.sleep(TTL.dividedBy(2).plusMillis(50).toMillis());
    version.set(2);
    assertThat(cache.getIfPresent("key")).as("the kept entry, while its reload waits").isEqualTo("key@1");
    assertThat(System.nanoTime() - loadedAt).as("still within the TTL, or the test proves nothing")
        .isLessThan(TTL.toNanos());
    assertThat(reloadedOn.get(5, TimeUnit.SECONDS)).as("reloaded off the reader's thread").isNotSameAs(caller);

    reloadMayAnswer.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!"key@2".equals(cache.getIfPresent("key"))) {
      assertThat(System.nanoTime()).as("the reload replaces the entry").isLessThan(deadline);
      Thread.sleep(5);
    }
    assertThat(System.nanoTime() - loadedAt).as("replaced by the reload, not after expiry")
        .isLessThan(TTL.toNanos());
  }

  @Test
  void aReloadThatFailsDropsTheEntrySoTheNextReadLoadsItItself() throws Exception {
    AtomicInteger failing = new AtomicInteger(0);
    LoadingCache<String, String> cache = ReadCache.refreshedAhead(TTL, 10, key -> {
      if (failing.get() > 0) {
        failing.incrementAndGet();
        throw new StoreException("the store is down");
      }
      return key + "@" + version.get();
    });
    long loadedAt = System.nanoTime();
    assertThat(cache.get("key")).isEqualTo("key@1");
    Thread.sleep(TTL.dividedBy(2).plusMillis(50).toMillis());
    failing.set(1);

    assertThat(cache.getIfPresent("key")).as("the kept entry, while it reloads").isEqualTo("key@1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (cache.getIfPresent("key") != null) {
      assertThat(System.nanoTime()).as("the failed reload drops the entry").isLessThan(deadline);
      Thread.sleep(5);
    }
    assertThat(System.nanoTime() - loadedAt).as("dropped by the reload, not by expiry").isLessThan(TTL.toNanos());
    assertThat(failing.get()).as("one reload was tried").isEqualTo(2);

    failing.set(0);
    version.set(2);
    assertThat(cache.get("key")).isEqualTo("key@2");
  }

  @Test
  void anEntryIsNeverServedOlderThanTheTtl() throws Exception {
    LoadingCache<String, String> cache = ReadCache.refreshedAhead(Duration.ofMillis(100), 10, this::load);
    reloadMayAnswer.countDown();
    assertThat(cache.get("key")).isEqualTo("key@1");
    version.set(2);

    Thread.sleep(150); // past the TTL with no read in between: nothing was reloaded

    assertThat(cache.getIfPresent("key")).isNull();
    assertThat(cache.get("key")).isEqualTo("key@2");
  }

  @Test
  void aZeroTtlCachesNothing() {
    LoadingCache<String, String> cache = ReadCache.refreshedAhead(Duration.ZERO, 10, this::load);

    assertThat(cache.get("key")).isEqualTo("key@1");
    version.set(2);

    assertThat(cache.getIfPresent("key")).isNull();
    assertThat(cache.get("key")).isEqualTo("key@2");
  }
}

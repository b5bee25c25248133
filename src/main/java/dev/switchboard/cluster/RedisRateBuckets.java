package dev.switchboard.cluster;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import dev.switchboard.limits.LocalRateBuckets;
import dev.switchboard.limits.RateBuckets;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * {@link RateBuckets} in Redis, through Bucket4j's Lettuce back-end: every node draws from the same
 * bucket, so a limit of N a minute admits N a minute whichever nodes the requests reach. Bucket4j
 * keeps each bucket's state in one Redis key and updates it by compare-and-swap, so concurrent
 * nodes never both take the last token. A bucket's key expires a few seconds after it would be
 * full again.
 *
 * <p>Calls wait for Redis through {@link Future#await} (a virtual thread parks; its Vert.x context
 * is free meanwhile) for at most {@code redis.timeout}; a failure is thrown for {@link
 * FailoverRateBuckets} to handle. The exception is a correction made on an event loop, which is sent
 * without waiting. Thread-safe.
 */
public final class RedisRateBuckets implements RateBuckets {
  private final RedisLink link;
  private volatile @Nullable AsyncProxyManager<byte[]> proxies;

  public RedisRateBuckets(RedisLink link) {
    this.link = link;
  }

  @Override
  public Probe tryConsume(String bucket, long perMinute, long amount) {
    CompletableFuture<io.github.bucket4j.ConsumptionProbe> probe =
        bucket(bucket, perMinute).tryConsumeAndReturnRemaining(amount);
    return LocalRateBuckets.probe(Future.fromCompletionStage(probe).await(), perMinute);
  }

  @Override
  public void adjust(String bucket, long perMinute, long delta) {
    if (delta == 0) {
      return;
    }
    AsyncBucketProxy b = bucket(bucket, perMinute);
    CompletableFuture<?> adjusted = delta > 0 ? b.consumeIgnoringRateLimits(delta) : b.addTokens(-delta);
    if (Context.isOnEventLoopThread()) {
      // A correction after the fact, settled from an event loop (which must not wait): sent, not
      // waited for; a failure is the link's to notice, as a thrown one would be.
      link.watch(adjusted);
      return;
    }
    Future.fromCompletionStage(adjusted).await();
  }

  private AsyncBucketProxy bucket(String name, long perMinute) {
    byte[] key = (link.prefix() + "rl:" + name + "/" + perMinute).getBytes(StandardCharsets.UTF_8);
    BucketConfiguration configuration = BucketConfiguration.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .build();
    return proxies().builder().build(key, () -> CompletableFuture.completedFuture(configuration));
  }

  private AsyncProxyManager<byte[]> proxies() {
    AsyncProxyManager<byte[]> manager = proxies;
    if (manager != null) {
      return manager;
    }
    synchronized (this) {
      if (proxies == null) {
        StatefulRedisConnection<byte[], byte[]> connection = link.bytes();
        if (connection == null) {
          throw new IllegalStateException("Redis is not connected");
        }
        proxies = Bucket4jLettuce.casBasedBuilder(connection)
            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
            .build()
            .asAsync();
      }
      return proxies;
    }
  }
}

package dev.switchboard.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * {@link RateBuckets} in this process: one Bucket4j bucket per name and rate, in a Caffeine cache
 * that forgets a bucket two minutes after its last use (by then it is full again, so forgetting it
 * changes nothing). Lock-free; thread-safe.
 */
public final class LocalRateBuckets implements RateBuckets {
  /** A bucket refills completely within a minute; one idle for longer is as good as new. */
  private static final Duration IDLE = Duration.ofMinutes(2);

  private final Cache<String, Bucket> buckets;

  public LocalRateBuckets(long maxBuckets) {
    // Maintenance on the calling thread: Caffeine's default hands it to the common pool, a thread
    // woken (and a hand-off paid) every few requests on a node whose every request takes a bucket.
    this.buckets =
        Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(maxBuckets).executor(Runnable::run).build();
  }

  public LocalRateBuckets() {
    this(1_000_000);
  }

  @Override
  public Probe tryConsume(String bucket, long perMinute, long amount) {
    return probe(bucket(bucket, perMinute).tryConsumeAndReturnRemaining(amount), perMinute);
  }

  @Override
  public void adjust(String bucket, long perMinute, long delta) {
    Bucket b = bucket(bucket, perMinute);
    if (delta > 0) {
      b.consumeIgnoringRateLimits(delta);
    } else if (delta < 0) {
      b.addTokens(-delta);
    }
  }

  private Bucket bucket(String name, long perMinute) {
    return buckets.get(name + "/" + perMinute, key -> Bucket.builder()
        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
        .build());
  }

  /** A Bucket4j probe as this SPI reports it. */
  public static Probe probe(ConsumptionProbe probe, long perMinute) {
    long remaining = Math.max(0, probe.getRemainingTokens());
    return new Probe(probe.isConsumed(), remaining, probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill(),
        probe.getNanosToWaitForReset());
  }
}

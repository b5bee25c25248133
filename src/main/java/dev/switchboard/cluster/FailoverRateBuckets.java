package dev.switchboard.cluster;

import dev.switchboard.limits.RateBuckets;

/**
 * Shared buckets while Redis answers, this node's own while it does not: a request is never
 * refused or failed because Redis is down. During an outage each node enforces every limit on its
 * own, so a cluster of N nodes admits at most N times a limit; when Redis returns, the shared
 * buckets take over again as they were (or full, if Redis lost them). Thread-safe.
 */
public final class FailoverRateBuckets implements RateBuckets {
  private final RedisLink link;
  private final RateBuckets shared;
  private final RateBuckets local;

  public FailoverRateBuckets(RedisLink link, RateBuckets shared, RateBuckets local) {
    this.link = link;
    this.shared = shared;
    this.local = local;
  }

  @Override
  public Probe tryConsume(String bucket, long perMinute, long amount) {
    if (link.up()) {
      try {
        return shared.tryConsume(bucket, perMinute, amount);
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        link.failed(e);
      }
    }
    return local.tryConsume(bucket, perMinute, amount);
  }

  @Override
  public void adjust(String bucket, long perMinute, long delta) {
    if (link.up()) {
      try {
        shared.adjust(bucket, perMinute, delta);
        return;
      } catch (Exception e) { // Future.await may rethrow a checked cause unchecked
        link.failed(e);
      }
    }
    local.adjust(bucket, perMinute, delta);
  }
}

package dev.switchboard.limits;

/**
 * Token buckets by name: the SPI under {@link RateLimits}. A bucket holds up to {@code perMinute}
 * tokens, starts full, and refills continuously at {@code perMinute} a minute (Bucket4j's greedy
 * refill), so a client may use a whole minute's allowance at once and then one more every {@code
 * 60 / perMinute} seconds.
 *
 * <p>A bucket is identified by its name and its rate together: a changed limit starts a new, full
 * bucket rather than re-scaling the old one. Idle buckets are forgotten once they would be full
 * again. Implementations are thread-safe; their calls may block briefly (on a Redis round trip),
 * so call them from virtual threads.
 */
public interface RateBuckets {

  /**
   * Takes {@code amount} tokens if the bucket holds that many.
   *
   * @throws RuntimeException when the bucket's store cannot answer (Redis down, timed out)
   */
  Probe tryConsume(String bucket, long perMinute, long amount);

  /**
   * Corrects a bucket after the fact: {@code delta > 0} takes that many more tokens even if that
   * leaves the bucket in debt (later requests wait it off), {@code delta < 0} gives tokens back (no
   * more than its capacity). Best effort: a failure is the caller's to log, never the request's.
   */
  void adjust(String bucket, long perMinute, long delta);

  /**
   * What a consumption attempt found.
   *
   * @param consumed whether the tokens were taken
   * @param remaining tokens left after it (0 or more)
   * @param nanosToWait when refused, how long until {@code amount} tokens are there; 0 otherwise
   * @param nanosToFull how long until the bucket is full again
   */
  record Probe(boolean consumed, long remaining, long nanosToWait, long nanosToFull) {}
}

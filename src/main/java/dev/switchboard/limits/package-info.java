/**
 * Rate limits: requests and tokens per minute, per key and per account, optionally per model.
 *
 * <p>{@link dev.switchboard.limits.RateLimits} decides which buckets a request draws from (the
 * policy); {@link dev.switchboard.limits.RateBuckets} is the SPI that holds them: {@link
 * dev.switchboard.limits.LocalRateBuckets} in process (Bucket4j), {@code
 * cluster.RedisRateBuckets} in Redis (Bucket4j's Lettuce back-end) for a cluster of nodes.
 */
@NullMarked
package dev.switchboard.limits;

import org.jspecify.annotations.NullMarked;

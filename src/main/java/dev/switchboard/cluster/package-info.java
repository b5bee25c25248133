/**
 * Shared hot state for a cluster of gateway nodes, in Redis (through Lettuce): rate-limit buckets,
 * spending reservations, endpoint health and statistics, and session pins. Switched on by {@code redis.url};
 * without it nothing here is built and every node keeps that state in process.
 *
 * <p>Redis is an accelerator, never the source of truth (PostgreSQL is): when it cannot be
 * reached, each class here falls back to the node's own in-process state, {@link
 * dev.switchboard.cluster.RedisLink} says so once in the log and on {@code /health/ready}, and
 * the shared state resumes when Redis answers again. See docs/deploy.md.
 */
@NullMarked
package dev.switchboard.cluster;

import org.jspecify.annotations.NullMarked;

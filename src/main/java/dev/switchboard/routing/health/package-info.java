/**
 * What routing knows about endpoints from the traffic it sends them: health (recent failures, a
 * circuit breaker per endpoint, {@code Retry-After} back-off) and live statistics (uptime, time to
 * first token, throughput). Recorded by the attempt loop; read by the planner, the endpoints API
 * and the metrics.
 *
 * <p>Everything here is thread-safe and in-process. {@link dev.switchboard.routing.health.EndpointHealth}
 * is an interface so that a shared (Redis) implementation can take its place on a multi-node setup.
 */
@NullMarked
package dev.switchboard.routing.health;

import org.jspecify.annotations.NullMarked;

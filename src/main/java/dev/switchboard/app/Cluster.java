package dev.switchboard.app;

import dev.switchboard.accounting.LocalReservations;
import dev.switchboard.accounting.Reservations;
import dev.switchboard.cluster.FailoverRateBuckets;
import dev.switchboard.cluster.RedisReservations;
import dev.switchboard.cluster.RedisEndpointHealth;
import dev.switchboard.cluster.RedisEndpointStats;
import dev.switchboard.cluster.RedisLink;
import dev.switchboard.cluster.RedisRateBuckets;
import dev.switchboard.cluster.RedisSessionPins;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.limits.LocalRateBuckets;
import dev.switchboard.limits.RateBuckets;
import dev.switchboard.routing.SessionAffinity;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointStats;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The hot state a node may share with other nodes, chosen once from the config: in Redis when
 * {@code redis.url} is set (each part falling back to this node's own while Redis is away), in
 * process otherwise.
 */
record Cluster(@Nullable RedisLink redis, InstantSource clock) {

  static Cluster of(GatewayConfig config, InstantSource clock) {
    return new Cluster(config.redis().enabled() ? RedisLink.start(config.redis()) : null, clock);
  }

  RateBuckets rateBuckets() {
    return redis == null ? new LocalRateBuckets()
        : new FailoverRateBuckets(redis, new RedisRateBuckets(redis), new LocalRateBuckets());
  }

  Reservations reservations() {
    return redis == null ? new LocalReservations() : new RedisReservations(redis);
  }

  EndpointHealth health(EndpointHealth local) {
    return redis == null ? local : new RedisEndpointHealth(local, redis, clock);
  }

  /**
   * What shares this node's endpoint statistics with the others and merges theirs in, to run every
   * {@link RedisEndpointStats#PERIOD} on a worker; null without Redis (nothing to share).
   */
  @Nullable RedisEndpointStats statsSharing(EndpointStats stats, String node) {
    return redis == null ? null : new RedisEndpointStats(stats, redis, clock, node, RedisEndpointStats.PERIOD);
  }

  SessionAffinity.Pins sessionPins(Duration ttl) {
    return redis == null ? SessionAffinity.local(ttl) : new RedisSessionPins(redis, ttl);
  }

  /** What this node is running without right now, for {@code /health/ready}. */
  List<String> degraded() {
    return redis == null || redis.up() ? List.of() : List.of("redis");
  }
}

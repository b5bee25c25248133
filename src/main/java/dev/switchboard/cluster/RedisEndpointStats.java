package dev.switchboard.cluster;

import static java.util.Objects.requireNonNull;

import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Endpoint statistics shared by the nodes of a cluster: every {@link #sync} (each {@link #PERIOD},
 * on a worker, never on a request) publishes this node's own recent statistics ({@link
 * EndpointStats#share}) and hands the other nodes' last ones to {@link EndpointStats#useOthers},
 * which merges them into every figure it reports. So a node that never called an endpoint routes
 * and hedges on what the others saw, and every node shows the same numbers, at most a period or
 * two behind.
 *
 * <p>How: one key per endpoint and node, {@code PREFIX stats:PROVIDER|MODEL:NODE}, holding that
 * node's uptime counts and compressed histograms (a few hundred bytes), expiring after {@link
 * #TTL_PERIODS} periods: a node that stops (or loses Redis) drops out of the others' figures
 * within that. The keys are listed in a sorted set {@code PREFIX stats}, scored by expiry, so
 * reading them needs no keyspace scan.
 *
 * <p>Best effort, like {@link RedisEndpointHealth}: while Redis is down (or a sync fails), the
 * node forgets the others' statistics and reports its own, and the next sync after Redis answers
 * again shares them once more.
 *
 * <p>Thread-safe, but meant to be called by one worker at a time.
 */
public final class RedisEndpointStats {
  private static final System.Logger LOG = System.getLogger(RedisEndpointStats.class.getName());
  /** How often a node shares: figures are at most about this much behind across nodes. */
  public static final Duration PERIOD = Duration.ofSeconds(5);
  /** A node's share outlives a few missed syncs (a busy or paused node), not a stopped node for long. */
  static final int TTL_PERIODS = 6;
  private static final String VERSION = "1";
  private static final int MGET_BATCH = 500;

  private final EndpointStats stats;
  private final RedisLink link;
  private final InstantSource clock;
  private final String node;
  private final Duration ttl;
  private final String index;
  private final String keyPrefix;

  /**
   * @param node this node's name, stable across its restarts (a restarted node replaces its own
   *     keys rather than being counted twice)
   */
  public RedisEndpointStats(EndpointStats stats, RedisLink link, InstantSource clock, String node, Duration period) {
    this.stats = requireNonNull(stats, "stats");
    this.link = requireNonNull(link, "link");
    this.clock = requireNonNull(clock, "clock");
    this.node = requireNonNull(node, "node").replace('\t', ' ');
    this.ttl = period.multipliedBy(TTL_PERIODS);
    this.index = link.prefix() + "stats";
    this.keyPrefix = link.prefix() + "stats:";
  }

  /** Shares this node's statistics and takes in the others'; never throws. */
  public void sync() {
    if (!link.up()) {
      stats.useOthers(Map.of());
      return;
    }
    try {
      long now = clock.millis();
      publish(now);
      stats.useOthers(read(link.commands().sync(), now));
    } catch (RuntimeException e) {
      link.failed(e);
      stats.useOthers(Map.of());
      LOG.log(Level.DEBUG, "sharing endpoint statistics failed: {0}", e.getMessage());
    }
  }

  private void publish(long now) {
    Map<EndpointId, EndpointStats.Share> mine = stats.share();
    if (mine.isEmpty()) {
      return;
    }
    // Pipelined: one round trip for every endpoint's key, however many there are.
    RedisAsyncCommands<String, String> redis = link.commands().async();
    long expiry = now + ttl.toMillis();
    List<ScoredValue<String>> listed = new ArrayList<>(mine.size());
    List<RedisFuture<?>> sent = new ArrayList<>(mine.size() + 2);
    SetArgs px = SetArgs.Builder.px(ttl.toMillis());
    mine.forEach((endpoint, share) -> {
      String key = keyPrefix + endpoint.provider() + "|" + endpoint.model() + ":" + node;
      sent.add(redis.set(key, encode(endpoint, share), px));
      listed.add(ScoredValue.just(expiry, key));
    });
    @SuppressWarnings("unchecked")
    ScoredValue<String>[] values = listed.toArray(ScoredValue[]::new);
    sent.add(redis.zadd(index, values));
    // The index goes with the last node to stop.
    sent.add(redis.pexpire(index, ttl.toMillis()));
    for (RedisFuture<?> reply : sent) {
      reply.toCompletableFuture().join(); // each fails after redis.timeout at most
    }
  }

  private Map<EndpointId, List<EndpointStats.Share>> read(RedisCommands<String, String> redis, long now) {
    redis.zremrangebyscore(index, Double.NEGATIVE_INFINITY, now);
    List<String> keys = redis.zrangebyscore(index, now, Double.POSITIVE_INFINITY);
    Map<EndpointId, List<EndpointStats.Share>> others = new HashMap<>();
    for (int from = 0; from < keys.size(); from += MGET_BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + MGET_BATCH));
      for (KeyValue<String, String> entry : redis.mget(batch.toArray(String[]::new))) {
        if (entry.hasValue()) {
          decode(entry.getValue(), others);
        }
      }
    }
    return others;
  }

  private String encode(EndpointId endpoint, EndpointStats.Share share) {
    return String.join("\t", VERSION, node, endpoint.model(), endpoint.provider(), Long.toString(share.ok5m()),
        Long.toString(share.failed5m()), Long.toString(share.ok30m()), Long.toString(share.failed30m()),
        Long.toString(share.ok1d()), Long.toString(share.failed1d()), orDash(share.latency5m()),
        orDash(share.latency30m()), orDash(share.throughput5m()), orDash(share.throughput30m()));
  }

  /** Adds one entry to {@code others} unless it is this node's own, another version's or malformed. */
  private void decode(String value, Map<EndpointId, List<EndpointStats.Share>> others) {
    String[] f = value.split("\t", -1);
    if (f.length != 14 || !VERSION.equals(f[0]) || node.equals(f[1])) {
      return;
    }
    try {
      EndpointStats.Share share = new EndpointStats.Share(Long.parseLong(f[4]), Long.parseLong(f[5]),
          Long.parseLong(f[6]), Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), orNull(f[10]),
          orNull(f[11]), orNull(f[12]), orNull(f[13]));
      others.computeIfAbsent(new EndpointId(f[2], f[3]), id -> new ArrayList<>()).add(share);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.DEBUG, "ignored malformed endpoint statistics from node {0}", f[1]);
    }
  }

  private static String orDash(@Nullable String value) {
    return value == null ? "-" : value;
  }

  private static @Nullable String orNull(String value) {
    return "-".equals(value) ? null : value;
  }
}

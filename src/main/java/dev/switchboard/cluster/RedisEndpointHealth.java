package dev.switchboard.cluster;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Endpoint health shared by the nodes of a cluster: each node keeps its own {@link
 * EndpointHealth} (the in-process breaker and back-off), and when it decides to keep traffic away
 * from an endpoint (its circuit opened, or the provider sent a {@code Retry-After}) it tells the
 * others, who keep away too until the same instant.
 *
 * <p>How: a Redis key {@code PREFIX health:PROVIDER|MODEL} holding the verdict, expiring when it
 * does, and a message on the {@code PREFIX health} channel. Every node keeps the verdicts it heard
 * in memory, so routing never waits on Redis; a node that (re)connects reads the keys to catch up
 * on what it missed. Publishing is asynchronous and best effort: if Redis is down, each node
 * learns on its own, as a single node does. After the shared verdict expires every node may send
 * one probe of its own (a cluster of N nodes probes at most N times per cool-down).
 *
 * <p>Thread-safe.
 */
public final class RedisEndpointHealth implements EndpointHealth {
  private static final System.Logger LOG = System.getLogger(RedisEndpointHealth.class.getName());

  private final EndpointHealth local;
  private final RedisLink link;
  private final InstantSource clock;
  private final String channel;
  private final String keyPrefix;
  /** Verdicts heard from the cluster (this node's own included), by endpoint. */
  private final ConcurrentMap<EndpointId, Shared> shared = new ConcurrentHashMap<>();
  /** The latest end of an unavailability this node has published, by endpoint. */
  private final ConcurrentMap<EndpointId, Long> published = new ConcurrentHashMap<>();

  private record Shared(long untilMillis, Cause cause, String reason) {}

  public RedisEndpointHealth(EndpointHealth local, RedisLink link, InstantSource clock) {
    this.local = requireNonNull(local, "local");
    this.link = requireNonNull(link, "link");
    this.clock = requireNonNull(clock, "clock");
    this.channel = link.prefix() + "health";
    this.keyPrefix = link.prefix() + "health:";
    link.subscribe(channel, new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, String message) {
        if (channel.equals(from)) {
          heard(message);
        }
      }
    });
    link.onReconnect(this::resync);
    if (link.up()) {
      resync();
    }
  }

  @Override
  public Verdict verdict(EndpointId endpoint) {
    Verdict mine = local.verdict(endpoint);
    if (mine instanceof Verdict.Unavailable) {
      return mine;
    }
    Shared heard = active(endpoint);
    return heard == null ? mine : new Verdict.Unavailable(Instant.ofEpochMilli(heard.untilMillis()), heard.cause(),
        heard.reason() + " (seen by another node)");
  }

  @Override
  public boolean tryAcquire(EndpointId endpoint) {
    return active(endpoint) == null && local.tryAcquire(endpoint);
  }

  @Override
  public void record(EndpointId endpoint, @Nullable UpstreamError error) {
    local.record(endpoint, error);
    if (error != null && local.verdict(endpoint) instanceof Verdict.Unavailable(Instant until, Cause cause,
        String reason)) {
      long untilMillis = until.toEpochMilli();
      Long before = published.get(endpoint);
      if (before == null || before < untilMillis) {
        published.put(endpoint, untilMillis);
        publish(endpoint, new Shared(untilMillis, cause, reason));
      }
    }
  }

  @Override
  public Snapshot snapshot(EndpointId endpoint) {
    Snapshot mine = local.snapshot(endpoint);
    Shared heard = active(endpoint);
    if (heard == null || (mine.unavailableUntil() != null
        && mine.unavailableUntil().toEpochMilli() >= heard.untilMillis())) {
      return mine;
    }
    return new Snapshot(heard.cause() == Cause.CIRCUIT_OPEN ? "open" : mine.circuit(), mine.consecutiveFailures(),
        mine.recentSuccesses(), mine.recentFailures(), Instant.ofEpochMilli(heard.untilMillis()));
  }

  private @Nullable Shared active(EndpointId endpoint) {
    Shared heard = shared.get(endpoint);
    if (heard == null) {
      return null;
    }
    if (heard.untilMillis() <= clock.millis()) {
      shared.remove(endpoint, heard);
      return null;
    }
    return heard;
  }

  private void publish(EndpointId endpoint, Shared verdict) {
    shared.merge(endpoint, verdict, (a, b) -> a.untilMillis() >= b.untilMillis() ? a : b);
    long ttl = verdict.untilMillis() - clock.millis();
    if (ttl <= 0 || !link.up()) {
      return;
    }
    String message = encode(endpoint, verdict);
    try {
      var async = link.commands().async();
      link.watch(async.set(keyPrefix + endpoint.provider() + "|" + endpoint.model(), message,
          SetArgs.Builder.px(ttl)));
      async.publish(channel, message);
    } catch (RuntimeException e) {
      link.failed(e);
    }
  }

  private void heard(String message) {
    String[] parts = message.split("\t", 5);
    if (parts.length != 5) {
      return;
    }
    try {
      EndpointId endpoint = new EndpointId(parts[0], parts[1]);
      Shared verdict = new Shared(Long.parseLong(parts[2]), Cause.valueOf(parts[3]), parts[4]);
      if (verdict.untilMillis() > clock.millis()) {
        shared.merge(endpoint, verdict, (a, b) -> a.untilMillis() >= b.untilMillis() ? a : b);
      }
    } catch (IllegalArgumentException e) {
      LOG.log(Level.DEBUG, "ignored a malformed health message: {0}", e.getMessage());
    }
  }

  /** Reads every shared verdict still in force: after a (re)connect, what was missed meanwhile. */
  private void resync() {
    RedisCommands<String, String> sync = link.commands().sync();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs match = ScanArgs.Builder.matches(keyPrefix + "*").limit(500);
    do {
      KeyScanCursor<String> page = sync.scan(cursor, match);
      for (String key : page.getKeys()) {
        String message = sync.get(key);
        if (message != null) {
          heard(message);
        }
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  private static String encode(EndpointId endpoint, Shared verdict) {
    return endpoint.model() + "\t" + endpoint.provider() + "\t" + verdict.untilMillis() + "\t" + verdict.cause().name()
        + "\t" + verdict.reason().replace('\t', ' ');
  }
}

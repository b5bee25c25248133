package dev.switchboard.cluster;

import static java.util.Objects.requireNonNull;

import dev.switchboard.config.RedisConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * This node's connections to Redis, and whether Redis is usable right now.
 *
 * <p>Connections: one for commands (String keys and values), one for Bucket4j (byte arrays) and
 * one for pub/sub, all from one Lettuce client with auto-reconnect. While a connection is down,
 * commands are rejected at once instead of queued ({@code REJECT_COMMANDS}), and a command that
 * gets no answer within {@code redis.timeout} fails: a request never waits on Redis longer than
 * that, and callers fall back to per-node state.
 *
 * <p>Liveness: a daemon thread pings every {@value #PING_MILLIS} ms (and makes the first
 * connections, retrying every second, when Redis was down at start). A closed connection, two
 * unanswered pings in a row or a timed-out command mark Redis down: that logs one warning
 * ("degraded") and {@link #up()} turns false; the first success after it logs once more,
 * and the {@link #onReconnect} listeners run, so shared state can be resynchronised.
 *
 * <p>Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RedisLink.class.getName());
  private static final long PING_MILLIS = 500;
  /** Long enough for a cold JVM on a busy machine; a refused connection fails at once anyway. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  private final RedisConfig config;
  private final ClientResources resources;
  private final RedisClient client;
  private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
  private final List<RedisPubSubListener<String, String>> pubSubListeners = new CopyOnWriteArrayList<>();
  private final List<String> channels = new CopyOnWriteArrayList<>();
  private final Thread watcher;
  private volatile @Nullable StatefulRedisConnection<String, String> commands;
  private volatile @Nullable StatefulRedisConnection<byte[], byte[]> bytes;
  private volatile @Nullable StatefulRedisPubSubConnection<String, String> pubSub;
  private volatile boolean up;
  private volatile boolean closed;
  /** Whether the degraded state has been logged since the last recovery (log once). */
  private boolean warned;
  /** Pings in a row without an answer (only the watcher thread touches it). */
  private int missedPings;
  /** Whether a reconnect listener failed and must run again (only the watcher thread touches it). */
  private volatile boolean resyncPending;

  private RedisLink(RedisConfig config) {
    this.config = config;
    RedisURI uri = RedisURI.create(requireNonNull(config.url(), "redis.url").reveal());
    uri.setTimeout(config.timeout());
    this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(config.timeout()))
        .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build())
        .build());
    this.watcher = Thread.ofPlatform().daemon().name("redis-link").unstarted(this::watch);
  }

  /**
   * Connects (or, when Redis does not answer, starts degraded and keeps trying) and starts the
   * liveness checks.
   */
  public static RedisLink start(RedisConfig config) {
    RedisLink link = new RedisLink(config);
    link.check();
    link.watcher.start();
    return link;
  }

  /** The configured key prefix, to put before every key. */
  public String prefix() {
    return config.prefix();
  }

  /** Whether Redis answered the last ping. */
  public boolean up() {
    return up;
  }

  /** The command connection; throws when there is none yet (Redis was down from the start). */
  public StatefulRedisConnection<String, String> commands() {
    StatefulRedisConnection<String, String> connection = commands;
    if (connection == null) {
      throw new IllegalStateException("Redis is not connected");
    }
    return connection;
  }

  /** The byte-array connection (Bucket4j's), or null before the first successful connect. */
  public @Nullable StatefulRedisConnection<byte[], byte[]> bytes() {
    return bytes;
  }

  /** Runs {@code listener} each time Redis answers again after being unreachable. */
  public void onReconnect(Runnable listener) {
    reconnectListeners.add(listener);
  }

  /**
   * Subscribes {@code listener} to {@code channel} (prefix included by the caller), now or as soon
   * as the pub/sub connection exists; Lettuce re-subscribes by itself after a reconnect.
   */
  public synchronized void subscribe(String channel, RedisPubSubListener<String, String> listener) {
    channels.add(channel);
    pubSubListeners.add(listener);
    StatefulRedisPubSubConnection<String, String> connection = pubSub;
    if (connection != null) {
      connection.addListener(listener);
      connection.async().subscribe(channel);
    }
  }

  /**
   * Marks Redis unusable after a failed command, without waiting for the next ping: when the
   * connection is down, or the command timed out (a Redis that accepts but does not answer). A
   * late failure of a command sent before a reconnect, on a connection that is open again, is
   * left to the next ping.
   */
  public void failed(Throwable cause) {
    StatefulRedisConnection<String, String> connection = commands;
    if (connection != null && connection.isOpen() && !timedOut(cause)) {
      LOG.log(Level.DEBUG, "Redis command failed: {0}", cause.getMessage());
      return;
    }
    transition(false, cause.getMessage());
  }

  /**
   * For a command nobody waits for (a write after the fact): its failure, when it comes, is taken
   * as {@link #failed} takes a thrown one.
   */
  public void watch(CompletionStage<?> reply) {
    reply.whenComplete((result, e) -> {
      if (e != null) {
        failed(e);
      }
    });
  }

  private static boolean timedOut(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.lettuce.core.RedisCommandTimeoutException || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(commands == null ? 1_000 : PING_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      check();
    }
  }

  private void check() {
    try {
      connectIfNeeded();
      String pong = commands().async().ping().get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
      missedPings = 0;
      transition("PONG".equals(pong), null);
    } catch (Exception e) {
      // One slow ping on a busy machine is not an outage; a closed connection is at once.
      StatefulRedisConnection<String, String> connection = commands;
      if (++missedPings >= 2 || connection == null || !connection.isOpen()) {
        transition(false, e.getMessage());
      }
    }
  }

  private synchronized void connectIfNeeded() {
    if (commands != null || closed) {
      return;
    }
    StatefulRedisConnection<String, String> c = client.connect();
    try {
      StatefulRedisConnection<byte[], byte[]> b = client.connect(ByteArrayCodec.INSTANCE);
      StatefulRedisPubSubConnection<String, String> p = client.connectPubSub();
      for (RedisPubSubListener<String, String> listener : pubSubListeners) {
        p.addListener(listener);
      }
      if (!channels.isEmpty()) {
        p.async().subscribe(channels.toArray(String[]::new));
      }
      bytes = b;
      pubSub = p;
      commands = c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private void transition(boolean nowUp, @Nullable String why) {
    boolean recovered = false;
    synchronized (this) {
      if (!nowUp && !warned) {
        warned = true;
        LOG.log(Level.WARNING, "Redis at {0} is unreachable ({1}): this node is DEGRADED and keeps serving with"
            + " its own rate limits, reservations, endpoint health, statistics and session pins until Redis is back",
            redacted(), why);
      } else if (nowUp && !up) {
        recovered = warned;
        if (warned) {
          warned = false;
          LOG.log(Level.INFO, "Redis at {0} answers again: shared cluster state resumes", redacted());
        }
      }
      up = nowUp;
    }
    if (recovered || (nowUp && resyncPending)) {
      resync();
    }
  }

  /** Runs the reconnect listeners; one that fails is tried again after the next good ping. */
  private void resync() {
    resyncPending = false;
    for (Runnable listener : reconnectListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        resyncPending = true;
        LOG.log(Level.DEBUG, "resynchronising with Redis failed, will retry: {0}", e.getMessage());
      }
    }
  }

  /** The url without its password, for log lines. */
  private String redacted() {
    RedisURI uri = RedisURI.create(requireNonNull(config.url()).reveal());
    return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    for (AutoCloseable c : new AutoCloseable[] {pubSub, bytes, commands}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // closing anyway
        }
      }
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}

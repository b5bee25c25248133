package dev.switchboard.routing.health;

import dev.switchboard.core.UpstreamError;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * Live statistics per endpoint, as OpenRouter's endpoints API shows them: uptime over 5 minutes,
 * 30 minutes and a day; time to first token and throughput percentiles over 30 minutes; and, for
 * routing ({@code sort} and the {@code preferred_*} preferences), the same percentiles over the last
 * 5 minutes when there are any.
 *
 * <p>Uptime is OpenRouter's: successful / (successful + failed) attempts, with rate-limited ones
 * (429) left out, and failures that were the request's fault (400) not counted at all.
 *
 * <p>Thread-safe: one state object per endpoint, created on first record, guarded by its monitor.
 */
public final class EndpointStats {
  /** Routing looks at this recent window first (OpenRouter routes on 5-minute percentiles). */
  private static final int ROUTING_MINUTES = 5;
  private static final int DISPLAY_MINUTES = 30;
  /** Planner reads reuse a computed snapshot this long, so a busy planner does not re-merge histograms. */
  private static final long RECENT_CACHE_MILLIS = 1_000;
  /** Latency is kept in milliseconds up to an hour; throughput in hundredths of a token per second. */
  private static final long LATENCY_MAX_MILLIS = 3_600_000;
  private static final double THROUGHPUT_SCALE = 100;
  private static final long THROUGHPUT_MAX = 1_000_000 * (long) THROUGHPUT_SCALE;

  private final InstantSource clock;
  private final ConcurrentMap<EndpointId, State> states = new ConcurrentHashMap<>();

  public EndpointStats(InstantSource clock) {
    this.clock = clock;
  }

  /** Records how an attempt ended ({@code error} null for success), for uptime. */
  public void recordAttempt(EndpointId endpoint, @Nullable UpstreamError error) {
    if (error != null && (!EndpointHealth.countsAgainst(error) || error.kind() == UpstreamError.Kind.RATE_LIMITED)) {
      return;
    }
    state(endpoint).attempt(clock.millis(), error == null);
  }

  /**
   * Records a served request's speed.
   *
   * @param firstTokenMillis from the start of the serving attempt to the first token (for a
   *     non-streamed request, to the whole answer: it has no earlier token)
   * @param tokensPerSecond completion tokens over the time spent generating them; null when unknown
   */
  public void recordSpeed(EndpointId endpoint, long firstTokenMillis, @Nullable Double tokensPerSecond) {
    state(endpoint).speed(clock.millis(), firstTokenMillis, tokensPerSecond);
  }

  /** The endpoint's statistics for display; every field null when there is no data. */
  public Snapshot snapshot(EndpointId endpoint) {
    State state = states.get(endpoint);
    return state == null ? Snapshot.EMPTY : state.snapshot(clock.millis());
  }

  /** Recent speed for routing: the last 5 minutes, or the last 30 when those were quiet. */
  public Performance recent(EndpointId endpoint) {
    State state = states.get(endpoint);
    return state == null ? Performance.UNKNOWN : state.recent(clock.millis());
  }

  /**
   * A percentile (50 to 99.9) of the endpoint's time to first token over the last 5 minutes, or
   * the last 30 when those were quiet (rounded up to the histogram's precision, so a hedge waits a
   * little longer rather than shorter); null without data. What hedging waits before it starts the
   * next endpoint ({@code routing.hedging.delay: p95}).
   */
  public @Nullable Duration firstTokenPercentile(EndpointId endpoint, double percentile) {
    State state = states.get(endpoint);
    return state == null ? null : state.firstToken(clock.millis(), percentile);
  }

  private State state(EndpointId endpoint) {
    return states.computeIfAbsent(endpoint, id -> new State());
  }

  /**
   * Statistics for display.
   *
   * @param uptime5m percent, 0 to 100; null without attempts in the window
   * @param latency30m time to first token, in milliseconds
   * @param throughput30m completion tokens per second; pNN is what NN% of requests reached
   */
  public record Snapshot(@Nullable Double uptime5m, @Nullable Double uptime30m, @Nullable Double uptime1d,
      @Nullable Percentiles latency30m, @Nullable Percentiles throughput30m) {
    public static final Snapshot EMPTY = new Snapshot(null, null, null, null, null);
  }

  /**
   * Recent speed, for routing.
   *
   * @param latency time to first token, in seconds (the unit of {@code preferred_max_latency})
   * @param throughput tokens per second
   */
  public record Performance(@Nullable Percentiles latency, @Nullable Percentiles throughput) {
    public static final Performance UNKNOWN = new Performance(null, null);
  }

  private static final class State {
    private final SlidingCounts uptime = new SlidingCounts(Duration.ofMinutes(1), 24 * 60);
    private final WindowedHistogram latency = new WindowedHistogram(DISPLAY_MINUTES, LATENCY_MAX_MILLIS);
    private final WindowedHistogram throughput = new WindowedHistogram(DISPLAY_MINUTES, THROUGHPUT_MAX);
    private @Nullable Performance recent;
    private long recentAt;

    synchronized void attempt(long now, boolean success) {
      uptime.add(now, success);
    }

    synchronized void speed(long now, long firstTokenMillis, @Nullable Double tokensPerSecond) {
      latency.record(now, firstTokenMillis);
      if (tokensPerSecond != null && tokensPerSecond > 0 && Double.isFinite(tokensPerSecond)) {
        throughput.record(now, Math.round(tokensPerSecond * THROUGHPUT_SCALE));
      }
      recent = null;
    }

    synchronized Snapshot snapshot(long now) {
      return new Snapshot(percent(uptime.totals(now, Duration.ofMinutes(5))),
          percent(uptime.totals(now, Duration.ofMinutes(30))), percent(uptime.totals(now, Duration.ofDays(1))),
          latency.percentiles(now, DISPLAY_MINUTES, 1, false),
          throughput.percentiles(now, DISPLAY_MINUTES, THROUGHPUT_SCALE, true));
    }

    synchronized @Nullable Duration firstToken(long now, double percentile) {
      Long millis = latency.valueAt(now, ROUTING_MINUTES, percentile);
      if (millis == null) {
        millis = latency.valueAt(now, DISPLAY_MINUTES, percentile);
      }
      return millis == null ? null : Duration.ofMillis(millis);
    }

    synchronized Performance recent(long now) {
      if (recent != null && now - recentAt < RECENT_CACHE_MILLIS) {
        return recent;
      }
      Percentiles fastLatency = latency.percentiles(now, ROUTING_MINUTES, 1000, false);
      Percentiles fastThroughput = throughput.percentiles(now, ROUTING_MINUTES, THROUGHPUT_SCALE, true);
      recent = new Performance(
          fastLatency != null ? fastLatency : latency.percentiles(now, DISPLAY_MINUTES, 1000, false),
          fastThroughput != null ? fastThroughput
              : throughput.percentiles(now, DISPLAY_MINUTES, THROUGHPUT_SCALE, true));
      recentAt = now;
      return recent;
    }

    private static @Nullable Double percent(SlidingCounts.Totals totals) {
      return totals.total() == 0 ? null : 100.0 * totals.successes() / totals.total();
    }
  }
}

package dev.switchboard.routing.health;

import dev.switchboard.core.UpstreamError;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.IntCountsHistogram;
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
 * <p>In a cluster (with Redis), every figure is this node's own live data merged with what the
 * other nodes last shared ({@link #share()}, {@link #useOthers}): see {@code cluster.RedisEndpointStats}.
 *
 * <p>Thread-safe: one state object per endpoint, created on first record, guarded by its monitor.
 */
public final class EndpointStats {
  /** Routing looks at this recent window first (OpenRouter routes on 5-minute percentiles). */
  private static final int ROUTING_MINUTES = 5;
  private static final int DISPLAY_MINUTES = 30;
  /**
   * Planner reads reuse a computed snapshot this long, so a busy planner does not re-merge histograms
   * (new answers are seen once it ages out).
   */
  private static final long RECENT_CACHE_MILLIS = 1_000;
  /** Latency is kept in milliseconds up to an hour; throughput in hundredths of a token per second. */
  private static final long LATENCY_MAX_MILLIS = 3_600_000;
  private static final double THROUGHPUT_SCALE = 100;
  private static final long THROUGHPUT_MAX = 1_000_000 * (long) THROUGHPUT_SCALE;

  private final InstantSource clock;
  private final ConcurrentMap<EndpointId, State> states = new ConcurrentHashMap<>();
  /** What the other nodes of a cluster last shared, merged per endpoint; empty on a single node. */
  private volatile Map<EndpointId, Windows> others = Map.of();

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
    Windows others = this.others.get(endpoint);
    if (state == null && others == null) {
      return Snapshot.EMPTY;
    }
    long now = clock.millis();
    Windows all = (state == null ? Windows.NONE : state.windows(now, true)).plus(others);
    return new Snapshot(all.uptime(0), all.uptime(2), all.uptime(4),
        all.latency30m() == null ? null : WindowedHistogram.percentiles(all.latency30m(), 1, false),
        all.throughput30m() == null ? null
            : WindowedHistogram.percentiles(all.throughput30m(), THROUGHPUT_SCALE, true));
  }

  /** Recent speed for routing: the last 5 minutes, or the last 30 when those were quiet. */
  public Performance recent(EndpointId endpoint) {
    State state = states.get(endpoint);
    Windows others = this.others.get(endpoint);
    if (state == null) {
      return others == null ? Performance.UNKNOWN : performance(others);
    }
    return state.recent(clock.millis(), others);
  }

  /**
   * A percentile (50 to 99.9) of the endpoint's time to first token over the last 5 minutes, or
   * the last 30 when those were quiet (rounded up to the histogram's precision, so a hedge waits a
   * little longer rather than shorter); null without data. What hedging waits before it starts the
   * next endpoint ({@code routing.hedging.delay: p95}).
   */
  public @Nullable Duration firstTokenPercentile(EndpointId endpoint, double percentile) {
    State state = states.get(endpoint);
    Windows others = this.others.get(endpoint);
    if (state == null && others == null) {
      return null;
    }
    Windows all = (state == null ? Windows.NONE : state.windows(clock.millis(), false)).plus(others);
    IntCountsHistogram latency = all.latency5m() != null ? all.latency5m() : all.latency30m();
    return latency == null ? null : Duration.ofMillis(WindowedHistogram.valueAt(latency, percentile));
  }

  /**
   * This node's own statistics, for the other nodes of a cluster ({@code cluster.RedisEndpointStats}):
   * per endpoint with attempts or speeds in the last day, the uptime counts and the histograms of
   * the windows above, as of now.
   */
  public Map<EndpointId, Share> share() {
    long now = clock.millis();
    Map<EndpointId, Share> shares = new HashMap<>();
    states.forEach((endpoint, state) -> {
      Windows own = state.windows(now, true);
      if (!own.isEmpty()) {
        shares.put(endpoint, own.share());
      }
    });
    return shares;
  }

  /**
   * Replaces what the other nodes of the cluster last shared ({@link #share()} of each), by
   * endpoint; from now on every figure above is this node's own live data merged with these.
   * An empty map goes back to this node's own data alone (Redis is away). Shares that cannot be
   * read (another version's encoding) are skipped.
   */
  public void useOthers(Map<EndpointId, ? extends Collection<Share>> shares) {
    Map<EndpointId, Windows> merged = new HashMap<>();
    shares.forEach((endpoint, list) -> {
      Windows all = null;
      for (Share share : list) {
        try {
          Windows one = Windows.of(share);
          all = all == null ? one : all.plus(one);
        } catch (RuntimeException e) {
          // another version's encoding, or a corrupted entry: that node's figures are left out
        }
      }
      if (all != null && !all.isEmpty()) {
        merged.put(endpoint, all);
      }
    });
    others = Map.copyOf(merged);
  }

  private static Performance performance(Windows all) {
    IntCountsHistogram latency = all.latency5m() != null ? all.latency5m() : all.latency30m();
    IntCountsHistogram throughput = all.throughput5m() != null ? all.throughput5m() : all.throughput30m();
    return new Performance(latency == null ? null : WindowedHistogram.percentiles(latency, 1000, false),
        throughput == null ? null : WindowedHistogram.percentiles(throughput, THROUGHPUT_SCALE, true));
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

  /**
   * One node's statistics of one endpoint, as it shares them with the others: attempts that
   * succeeded and failed over 5 minutes, 30 minutes and a day (for uptime), and the time to first
   * token and throughput histograms of the last 5 and 30 minutes, each HdrHistogram's compressed
   * encoding in base64 (null when empty). Histograms merge exactly; a day's uptime is a sum.
   */
  public record Share(long ok5m, long failed5m, long ok30m, long failed30m, long ok1d, long failed1d,
      @Nullable String latency5m, @Nullable String latency30m, @Nullable String throughput5m,
      @Nullable String throughput30m) {}

  /**
   * Uptime counts ({@code [ok5m, failed5m, ok30m, failed30m, ok1d, failed1d]}) and histograms of
   * the windows, decoded: one node's or several merged. Never modified once built.
   */
  private record Windows(long[] counts, @Nullable IntCountsHistogram latency5m,
      @Nullable IntCountsHistogram latency30m, @Nullable IntCountsHistogram throughput5m,
      @Nullable IntCountsHistogram throughput30m) {
    static final Windows NONE = new Windows(new long[6], null, null, null, null);

    static Windows of(Share share) {
      long[] counts = {share.ok5m(), share.failed5m(), share.ok30m(), share.failed30m(), share.ok1d(), share.failed1d()};
      for (long count : counts) {
        if (count < 0) {
          throw new IllegalArgumentException("negative count");
        }
      }
      return new Windows(counts, decode(share.latency5m(), LATENCY_MAX_MILLIS),
          decode(share.latency30m(), LATENCY_MAX_MILLIS), decode(share.throughput5m(), THROUGHPUT_MAX),
          decode(share.throughput30m(), THROUGHPUT_MAX));
    }

    /** These and {@code other} together, as new objects (neither is changed). */
    Windows plus(@Nullable Windows other) {
      if (other == null) {
        return this;
      }
      long[] sum = new long[6];
      for (int i = 0; i < 6; i++) {
        sum[i] = counts[i] + other.counts[i];
      }
      return new Windows(sum, add(latency5m, other.latency5m, LATENCY_MAX_MILLIS),
          add(latency30m, other.latency30m, LATENCY_MAX_MILLIS), add(throughput5m, other.throughput5m, THROUGHPUT_MAX),
          add(throughput30m, other.throughput30m, THROUGHPUT_MAX));
    }

    boolean isEmpty() {
      return counts[4] + counts[5] == 0 && latency30m == null && throughput30m == null;
    }

    /** Uptime percent from the counts at {@code i} (successes) and {@code i + 1} (failures). */
    @Nullable Double uptime(int i) {
      long total = counts[i] + counts[i + 1];
      return total == 0 ? null : 100.0 * counts[i] / total;
    }

    Share share() {
      return new Share(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], encode(latency5m),
          encode(latency30m), encode(throughput5m), encode(throughput30m));
    }

    private static @Nullable IntCountsHistogram add(@Nullable IntCountsHistogram a, @Nullable IntCountsHistogram b,
        long highest) {
      if (a == null && b == null) {
        return null;
      }
      IntCountsHistogram sum = WindowedHistogram.empty(highest);
      if (a != null) {
        sum.add(a);
      }
      if (b != null) {
        sum.add(b);
      }
      return sum;
    }

    private static @Nullable String encode(@Nullable IntCountsHistogram histogram) {
      if (histogram == null) {
        return null;
      }
      ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int length = histogram.encodeIntoCompressedByteBuffer(buffer);
      return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    private static @Nullable IntCountsHistogram decode(@Nullable String base64, long highest) {
      if (base64 == null) {
        return null;
      }
      try {
        IntCountsHistogram decoded = IntCountsHistogram.decodeFromCompressedByteBuffer(
            ByteBuffer.wrap(Base64.getDecoder().decode(base64)), highest);
        if (decoded.getHighestTrackableValue() > highest || decoded.getNumberOfSignificantValueDigits() != 1) {
          throw new IllegalArgumentException("a histogram of another shape");
        }
        return decoded.getTotalCount() == 0 ? null : decoded;
      } catch (DataFormatException e) {
        throw new IllegalArgumentException("not a compressed histogram", e);
      }
    }
  }

  private static final class State {
    private final SlidingCounts uptime = new SlidingCounts(Duration.ofMinutes(1), 24 * 60);
    private final WindowedHistogram latency = new WindowedHistogram(DISPLAY_MINUTES, LATENCY_MAX_MILLIS);
    private final WindowedHistogram throughput = new WindowedHistogram(DISPLAY_MINUTES, THROUGHPUT_MAX);
    private @Nullable Performance recent;
    private long recentAt;
    /** The other nodes' windows {@link #recent} was computed with. */
    private @Nullable Windows recentOthers;

    synchronized void attempt(long now, boolean success) {
      uptime.add(now, success);
    }

    synchronized void speed(long now, long firstTokenMillis, @Nullable Double tokensPerSecond) {
      latency.record(now, firstTokenMillis);
      if (tokensPerSecond != null && tokensPerSecond > 0 && Double.isFinite(tokensPerSecond)) {
        throughput.record(now, Math.round(tokensPerSecond * THROUGHPUT_SCALE));
      }
      // A busy endpoint's figures move slowly: its snapshot ages out (RECENT_CACHE_MILLIS) rather than
      // being re-merged after every answer, which cost every planned request a merge of four
      // histograms. One without figures yet gets its first at once.
      if (recent != null && (recent.latency() == null || recent.throughput() == null)) {
        recent = null;
      }
    }

    /** This node's own windows; with {@code uptime} false the counts are left at zero (cheaper). */
    synchronized Windows windows(long now, boolean withUptime) {
      long[] counts = new long[6];
      if (withUptime) {
        int i = 0;
        for (Duration window : new Duration[] {Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofDays(1)}) {
          SlidingCounts.Totals totals = uptime.totals(now, window);
          counts[i++] = totals.successes();
          counts[i++] = totals.failures();
        }
      }
      return new Windows(counts, latency.merged(now, ROUTING_MINUTES), latency.merged(now, DISPLAY_MINUTES),
          throughput.merged(now, ROUTING_MINUTES), throughput.merged(now, DISPLAY_MINUTES));
    }

    synchronized Performance recent(long now, @Nullable Windows others) {
      if (recent != null && now - recentAt < RECENT_CACHE_MILLIS && recentOthers == others) {
        return recent;
      }
      recent = performance(windows(now, false).plus(others));
      recentAt = now;
      recentOthers = others;
      return recent;
    }
  }
}

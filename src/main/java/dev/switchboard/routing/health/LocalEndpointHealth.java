package dev.switchboard.routing.health;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.core.UpstreamError;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * In-process {@link EndpointHealth}: per endpoint, the recent outcomes, a circuit breaker and a
 * {@code Retry-After} back-off.
 *
 * <p>The breaker: {@code closed} until {@code breakerFailures} attempts in a row fail; then {@code
 * open} (no traffic) for {@code breakerCooldown}; then the next request may probe it ({@code
 * half_open}, one probe at a time): success closes it, failure opens it for another cool-down.
 *
 * <p>"Recent failures" (OpenRouter's "significant outages in the last 30 seconds", whose exact
 * threshold it does not publish): within the window, at least one failure and no fewer failures
 * than successes. One failure of a quiet endpoint counts; an occasional failure among many
 * successes does not.
 *
 * <p>Concurrency: one small state object per endpoint, created on first record and guarded by its
 * own monitor; endpoints never contend with each other. Time comes from the injected clock.
 */
public final class LocalEndpointHealth implements EndpointHealth {
  private static final System.Logger LOG = System.getLogger(LocalEndpointHealth.class.getName());
  /** The recent-failure window is kept as this many buckets. */
  private static final int WINDOW_BUCKETS = 30;
  /**
   * A probe that never reported back (a bug, or a stuck upstream that outlives every timeout) must
   * not keep the endpoint closed to traffic for ever; after this long another request may probe.
   */
  private static final Duration PROBE_LEASE = Duration.ofMinutes(15);

  private final RoutingConfig.Health config;
  private final InstantSource clock;
  private final ConcurrentMap<EndpointId, State> states = new ConcurrentHashMap<>();

  public LocalEndpointHealth(RoutingConfig.Health config, InstantSource clock) {
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Verdict verdict(EndpointId endpoint) {
    State state = states.get(endpoint);
    return state == null ? new Verdict.Healthy() : state.verdict(clock.millis());
  }

  @Override
  public boolean tryAcquire(EndpointId endpoint) {
    State state = states.get(endpoint);
    return state == null || state.tryAcquire(clock.millis());
  }

  @Override
  public void record(EndpointId endpoint, @Nullable UpstreamError error) {
    if (error != null && !EndpointHealth.countsAgainst(error)) {
      State state = states.get(endpoint);
      if (state != null) {
        state.release();
      }
      return;
    }
    states.computeIfAbsent(endpoint, id -> new State(id)).record(clock.millis(), error);
  }

  @Override
  public Snapshot snapshot(EndpointId endpoint) {
    State state = states.get(endpoint);
    return state == null ? Snapshot.UNKNOWN : state.snapshot(clock.millis());
  }

  private enum Circuit { CLOSED, OPEN, HALF_OPEN }

  /** One endpoint's health; every method holds its monitor. */
  private final class State {
    private final EndpointId id;
    private final SlidingCounts recent;
    private Circuit circuit = Circuit.CLOSED;
    private int consecutiveFailures;
    private long openUntil;
    private boolean probing;
    private long probeStarted;
    private long backOffUntil;
    private Cause backOffCause = Cause.RATE_LIMITED;

    State(EndpointId id) {
      this.id = id;
      Duration bucket = config.window().dividedBy(WINDOW_BUCKETS);
      this.recent = new SlidingCounts(bucket.toMillis() > 0 ? bucket : Duration.ofMillis(1), WINDOW_BUCKETS);
    }

    synchronized Verdict verdict(long now) {
      if (now < backOffUntil) {
        return new Verdict.Unavailable(Instant.ofEpochMilli(backOffUntil), backOffCause,
            "the provider asked for no requests until " + Instant.ofEpochMilli(backOffUntil) + " (Retry-After)");
      }
      if (circuit == Circuit.OPEN && now < openUntil) {
        return new Verdict.Unavailable(Instant.ofEpochMilli(openUntil), Cause.CIRCUIT_OPEN,
            "circuit open after " + consecutiveFailures + " failures in a row, until "
                + Instant.ofEpochMilli(openUntil));
      }
      if (circuit != Circuit.CLOSED) {
        if (probeHeld(now)) {
          return new Verdict.Unavailable(Instant.ofEpochMilli(now + config.breakerCooldown().toMillis()),
              Cause.CIRCUIT_OPEN, "circuit half-open and another request is probing it");
        }
        return new Verdict.Unstable("circuit half-open: this request may probe whether it recovered");
      }
      SlidingCounts.Totals totals = recent.totals(now, config.window());
      if (totals.failures() > 0 && totals.failures() >= totals.successes()) {
        return new Verdict.Unstable(totals.failures() + " of " + totals.total() + " recent attempts failed (last "
            + config.window().toSeconds() + " s)");
      }
      return new Verdict.Healthy();
    }

    synchronized boolean tryAcquire(long now) {
      if (now < backOffUntil) {
        return false;
      }
      switch (circuit) {
        case CLOSED -> {
          return true;
        }
        case OPEN -> {
          if (now < openUntil) {
            return false;
          }
          circuit = Circuit.HALF_OPEN;
        }
        case HALF_OPEN -> {
          if (probeHeld(now)) {
            return false;
          }
        }
      }
      probing = true;
      probeStarted = now;
      return true;
    }

    synchronized void release() {
      probing = false;
    }

    synchronized void record(long now, @Nullable UpstreamError error) {
      recent.add(now, error == null);
      if (error == null) {
        if (circuit != Circuit.CLOSED) {
          LOG.log(Level.INFO, "circuit for {0} closed: it answered again", id);
        }
        circuit = Circuit.CLOSED;
        consecutiveFailures = 0;
        probing = false;
        return;
      }
      consecutiveFailures++;
      backOff(now, error);
      if (circuit == Circuit.HALF_OPEN && probing) {
        probing = false;
        open(now, "its probe failed");
      } else if (circuit == Circuit.CLOSED && config.breakerFailures() > 0
          && consecutiveFailures >= config.breakerFailures()) {
        open(now, consecutiveFailures + " failures in a row");
      }
    }

    private void open(long now, String why) {
      circuit = Circuit.OPEN;
      openUntil = now + config.breakerCooldown().toMillis();
      LOG.log(Level.WARNING, "circuit for {0} opened ({1}); no traffic for {2} s", id, why,
          config.breakerCooldown().toSeconds());
    }

    /** A 429 or 503/529 that says when to come back keeps traffic away until then (capped). */
    private void backOff(long now, UpstreamError error) {
      Duration after = error.retryAfter();
      boolean applies = error.kind() == UpstreamError.Kind.RATE_LIMITED || error.kind() == UpstreamError.Kind.SERVER;
      if (after == null || !applies || after.isNegative() || config.maxRetryAfter().isZero()) {
        return;
      }
      long until = now + Math.min(after.toMillis(), config.maxRetryAfter().toMillis());
      if (until > backOffUntil) {
        backOffUntil = until;
        backOffCause = error.kind() == UpstreamError.Kind.RATE_LIMITED ? Cause.RATE_LIMITED : Cause.OVERLOADED;
      }
    }

    private boolean probeHeld(long now) {
      return probing && now - probeStarted < PROBE_LEASE.toMillis();
    }

    synchronized Snapshot snapshot(long now) {
      SlidingCounts.Totals totals = recent.totals(now, config.window());
      String state = circuit == Circuit.OPEN && now >= openUntil
          ? "half_open" : circuit.name().toLowerCase(java.util.Locale.ROOT);
      long until = Math.max(now < backOffUntil ? backOffUntil : 0,
          circuit == Circuit.OPEN && now < openUntil ? openUntil : 0);
      return new Snapshot(state, consecutiveFailures, totals.successes(), totals.failures(),
          until == 0 ? null : Instant.ofEpochMilli(until));
    }
  }
}

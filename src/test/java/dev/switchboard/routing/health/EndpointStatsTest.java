package dev.switchboard.routing.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointStatsTest {
  private static final EndpointId A = new EndpointId("acme/chat", "a");
  private final FakeClock clock = new FakeClock();
  private final EndpointStats stats = new EndpointStats(clock);

  @Test
  void nothingRecordedIsAllNull() {
    assertThat(stats.snapshot(A)).isEqualTo(EndpointStats.Snapshot.EMPTY);
    assertThat(stats.recent(A)).isEqualTo(EndpointStats.Performance.UNKNOWN);
  }

  @Test
  void uptimeIsTheSuccessShareOfEachWindowLeavingOutRateLimitsAndBadRequests() {
    // Two hours ago: 2 failures. Twenty minutes ago: 1 success, 1 failure. Now: 3 successes.
    stats.recordAttempt(A, UpstreamError.of(Kind.SERVER, 500, "x"));
    stats.recordAttempt(A, UpstreamError.of(Kind.CONNECT, 0, "x"));
    clock.advance(Duration.ofMinutes(100));
    stats.recordAttempt(A, null);
    stats.recordAttempt(A, UpstreamError.of(Kind.TIMEOUT, 0, "x"));
    clock.advance(Duration.ofMinutes(20));
    for (int i = 0; i < 3; i++) {
      stats.recordAttempt(A, null);
    }
    stats.recordAttempt(A, UpstreamError.of(Kind.RATE_LIMITED, 429, "x"));
    stats.recordAttempt(A, UpstreamError.of(Kind.BAD_REQUEST, 400, "x"));

    EndpointStats.Snapshot snapshot = stats.snapshot(A);
    assertThat(snapshot.uptime5m()).isEqualTo(100.0);
    assertThat(snapshot.uptime30m()).isEqualTo(80.0);
    assertThat(snapshot.uptime1d()).isCloseTo(100.0 * 4 / 7, within(1e-9));

    clock.advance(Duration.ofDays(1).plusMinutes(1));
    assertThat(stats.snapshot(A).uptime1d()).as("a day later the window is empty").isNull();
  }

  @Test
  void aFirstTokenPercentileIsWhatHedgingWaits() {
    assertThat(stats.firstTokenPercentile(A, 95)).isNull();
    for (int i = 1; i <= 100; i++) {
      stats.recordSpeed(A, i * 10L, null);
    }

    Duration p95 = stats.firstTokenPercentile(A, 95);
    assertThat(p95).isNotNull();
    // Rounded up to the histogram's precision (about 6%): a hedge rather waits a little longer.
    assertThat(p95.toMillis()).isBetween(950L, 1010L);
    assertThat(stats.firstTokenPercentile(A, 50).toMillis()).isBetween(500L, 540L);
    clock.advance(Duration.ofMinutes(31));
    assertThat(stats.firstTokenPercentile(A, 95)).as("older than the window").isNull();
  }

  @Test
  void latencyAndThroughputPercentilesOverThirtyMinutes() {
    for (int i = 1; i <= 100; i++) {
      stats.recordSpeed(A, i * 10L, (double) i);
    }
    EndpointStats.Snapshot snapshot = stats.snapshot(A);

    assertThat(snapshot.latency30m()).isNotNull();
    assertThat(snapshot.latency30m().p50()).isCloseTo(500, within(40.0));
    assertThat(snapshot.latency30m().p99()).isCloseTo(990, within(70.0));
    assertThat(snapshot.throughput30m()).isNotNull();
    // Throughput's pNN is what NN% of requests reached: p90 is the slow end.
    assertThat(snapshot.throughput30m().p50()).isCloseTo(50, within(4.0));
    assertThat(snapshot.throughput30m().p90()).isCloseTo(10, within(1.0));
    assertThat(snapshot.throughput30m().p99()).isLessThan(snapshot.throughput30m().p90());

    clock.advance(Duration.ofMinutes(31));
    assertThat(stats.snapshot(A).latency30m()).isNull();
  }

  @Test
  void routingLooksAtTheLastFiveMinutesWhenItHasDataElseThirty() {
    stats.recordSpeed(A, 4_000, 10.0);
    clock.advance(Duration.ofMinutes(10));
    assertThat(stats.recent(A).latency()).isNotNull();
    assertThat(stats.recent(A).latency().p50()).as("seconds, from the 30-minute window").isCloseTo(4.0, within(0.3));

    stats.recordSpeed(A, 200, 100.0);
    clock.advance(Duration.ofSeconds(2));
    assertThat(stats.recent(A).latency().p50()).as("the last 5 minutes only").isCloseTo(0.2, within(0.02));
    assertThat(stats.recent(A).throughput().p50()).isCloseTo(100, within(7.0));
  }

  @Test
  void routingSeesAnEndpointsFirstFiguresAtOnceAndLaterOnesWithinASecond() {
    assertThat(stats.recent(A)).isEqualTo(EndpointStats.Performance.UNKNOWN);
    stats.recordSpeed(A, 4_000, 10.0);
    assertThat(stats.recent(A).latency().p50()).as("the first figures, at once").isCloseTo(4.0, within(0.3));

    for (int i = 0; i < 9; i++) {
      stats.recordSpeed(A, 200, 100.0);
    }
    assertThat(stats.recent(A).latency().p50()).as("the snapshot of a moment ago").isCloseTo(4.0, within(0.3));
    clock.advance(Duration.ofMillis(1_000));
    assertThat(stats.recent(A).latency().p50()).as("a second later").isCloseTo(0.2, within(0.02));
  }

  @Test
  void anotherNodesShareMergesAsIfOneNodeHadSeenEverything() {
    EndpointStats other = new EndpointStats(clock);
    EndpointStats together = new EndpointStats(clock);
    for (int i = 1; i <= 50; i++) {
      other.recordSpeed(A, 2_000 + i * 10L, 5.0);
      together.recordSpeed(A, 2_000 + i * 10L, 5.0);
      stats.recordSpeed(A, 100, 80.0);
      together.recordSpeed(A, 100, 80.0);
    }
    other.recordAttempt(A, new UpstreamError(Kind.SERVER, 500, null, "boom", null));
    together.recordAttempt(A, new UpstreamError(Kind.SERVER, 500, null, "boom", null));
    for (int i = 0; i < 3; i++) {
      stats.recordAttempt(A, null);
      together.recordAttempt(A, null);
    }
    assertThat(stats.snapshot(A).uptime5m()).isEqualTo(100.0);
    double fastP99 = stats.firstTokenPercentile(A, 99).toMillis();

    stats.useOthers(Map.of(A, List.of(other.share().get(A))));

    assertThat(stats.snapshot(A)).isEqualTo(together.snapshot(A));
    assertThat(stats.snapshot(A).uptime5m()).isEqualTo(75.0);
    assertThat(stats.recent(A)).isEqualTo(together.recent(A));
    assertThat(stats.firstTokenPercentile(A, 99)).isEqualTo(together.firstTokenPercentile(A, 99))
        .isGreaterThan(Duration.ofMillis(2_000));

    // Back to this node's own figures alone (Redis is away).
    stats.useOthers(Map.of());
    assertThat(stats.snapshot(A).uptime5m()).isEqualTo(100.0);
    assertThat(stats.firstTokenPercentile(A, 99).toMillis()).isEqualTo((long) fastP99);
  }

  @Test
  void aNodeWithoutDataOfItsOwnReportsTheOthersAndSkipsUnreadableShares() {
    EndpointStats other = new EndpointStats(clock);
    other.recordSpeed(A, 3_000, 20.0);
    EndpointStats.Share garbled = new EndpointStats.Share(1, 0, 1, 0, 1, 0, "bm90IGEgaGlzdG9ncmFt", null, null, null);

    stats.useOthers(Map.of(A, List.of(other.share().get(A), garbled)));

    assertThat(stats.recent(A).latency()).isNotNull();
    assertThat(stats.recent(A).latency().p50()).isCloseTo(3.0, within(0.2));
    assertThat(stats.snapshot(A).uptime5m()).isNull();
    assertThat(stats.firstTokenPercentile(A, 95)).isGreaterThanOrEqualTo(Duration.ofMillis(3_000));
    assertThat(stats.share()).as("only this node's own data is shared").isEmpty();
  }
}

package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.config.RedisConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.EndpointStats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two "nodes" in one JVM (two Redis links under one prefix) sharing endpoint statistics. */
@RequiresRedis
class RedisEndpointStatsTest {
  private static final EndpointId SLOW = new EndpointId("mock/model", "slow");
  private static final EndpointId QUIET = new EndpointId("mock/model", "quiet");

  @Test
  void aNodeThatSawNothingReportsWhatTheOtherSaw() {
    RedisConfig config = TestRedis.config();
    try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
      EndpointStats statsA = new EndpointStats(InstantSource.system());
      EndpointStats statsB = new EndpointStats(InstantSource.system());
      RedisEndpointStats onA = new RedisEndpointStats(statsA, a, InstantSource.system(), "node-a", Duration.ofSeconds(5));
      RedisEndpointStats onB = new RedisEndpointStats(statsB, b, InstantSource.system(), "node-b", Duration.ofSeconds(5));
      for (int i = 0; i < 20; i++) {
        statsA.recordSpeed(SLOW, 4_000, 12.0);
        statsA.recordAttempt(SLOW, null);
      }
      statsA.recordAttempt(SLOW, new UpstreamError(UpstreamError.Kind.SERVER, 500, null, "boom", null));
      statsB.recordAttempt(QUIET, null);
      assertThat(statsB.recent(SLOW)).isEqualTo(EndpointStats.Performance.UNKNOWN);

      onA.sync();
      onB.sync();

      EndpointStats.Performance seen = statsB.recent(SLOW);
      assertThat(seen.latency()).isNotNull();
      assertThat(seen.latency().p50()).as("seconds to first token, as A saw them").isCloseTo(4.0, within(0.3));
      assertThat(seen.throughput().p50()).isCloseTo(12.0, within(1.0));
      assertThat(statsB.firstTokenPercentile(SLOW, 95)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
      assertThat(statsB.snapshot(SLOW)).isEqualTo(statsA.snapshot(SLOW));
      assertThat(statsB.snapshot(SLOW).uptime5m()).isCloseTo(100.0 * 20 / 21, within(0.01));
      // A node never counts its own share twice; A learns B's on its next sync.
      assertThat(statsB.snapshot(QUIET).uptime5m()).isEqualTo(100.0);
      assertThat(statsA.snapshot(QUIET).uptime5m()).isNull();
      onA.sync();
      assertThat(statsA.snapshot(QUIET).uptime5m()).isEqualTo(100.0);
      assertThat(statsA.snapshot(SLOW).uptime5m()).isCloseTo(100.0 * 20 / 21, within(0.01));
    }
  }

  @Test
  void whileRedisIsDownANodeReportsItsOwnFiguresAndSharesAgainAfter(@TempDir Path dir) {
    try (RedisServerProcess server = RedisServerProcess.start(dir)) {
      RedisConfig config = new RedisConfig(Secret.of(server.url()), TestRedis.freshPrefix(), Duration.ofMillis(300));
      try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
        EndpointStats statsA = new EndpointStats(InstantSource.system());
        EndpointStats statsB = new EndpointStats(InstantSource.system());
        RedisEndpointStats onA = new RedisEndpointStats(statsA, a, InstantSource.system(), "node-a", Duration.ofSeconds(5));
        RedisEndpointStats onB = new RedisEndpointStats(statsB, b, InstantSource.system(), "node-b", Duration.ofSeconds(5));
        statsA.recordSpeed(SLOW, 4_000, 12.0);
        statsB.recordSpeed(SLOW, 100, 90.0);
        onA.sync();
        onB.sync();
        assertThat(statsB.snapshot(SLOW).latency30m().p99()).isGreaterThan(3_000);

        server.kill();
        onB.sync(); // fails (or finds the link down): never throws
        assertThat(RedisSharedStateTest.eventually(Duration.ofSeconds(5), () -> !b.up())).isTrue();
        onB.sync();
        assertThat(statsB.snapshot(SLOW).latency30m().p99()).as("B's own fast first tokens only").isLessThan(200);
        assertThat(statsB.recent(SLOW).latency().p50()).isCloseTo(0.1, within(0.01));

        server.restart();
        assertThat(RedisSharedStateTest.eventually(Duration.ofSeconds(20), () -> a.up() && b.up())).isTrue();
        onA.sync(); // the restarted Redis is empty: A shares again
        onB.sync();
        assertThat(statsB.snapshot(SLOW).latency30m().p99()).isGreaterThan(3_000);
      }
    }
  }
}

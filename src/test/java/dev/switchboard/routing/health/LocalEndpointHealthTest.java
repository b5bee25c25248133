package dev.switchboard.routing.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.RoutingConfig;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.UpstreamError.Kind;
import dev.switchboard.routing.health.EndpointHealth.Cause;
import dev.switchboard.routing.health.EndpointHealth.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalEndpointHealthTest {
  private static final EndpointId A = new EndpointId("acme/chat", "a");
  private static final EndpointId B = new EndpointId("acme/chat", "b");
  private static final UpstreamError SERVER = UpstreamError.of(Kind.SERVER, 500, "boom");
  private static final UpstreamError BAD_REQUEST = UpstreamError.of(Kind.BAD_REQUEST, 400, "bad");

  private final FakeClock clock = new FakeClock();
  private final LocalEndpointHealth health = new LocalEndpointHealth(
      new RoutingConfig.Health(Duration.ofSeconds(30), 3, Duration.ofSeconds(30), Duration.ofMinutes(5)), clock);

  @Test
  void unknownEndpointsAreHealthy() {
    assertThat(health.verdict(A)).isInstanceOf(Verdict.Healthy.class);
    assertThat(health.tryAcquire(A)).isTrue();
    assertThat(health.snapshot(A)).isEqualTo(EndpointHealth.Snapshot.UNKNOWN);
  }

  @Test
  void aRecentFailureMakesAQuietEndpointUnstableForTheWindow() {
    health.record(A, SERVER);

    assertThat(health.verdict(A)).isInstanceOfSatisfying(Verdict.Unstable.class,
        v -> assertThat(v.reason()).isEqualTo("1 of 1 recent attempts failed (last 30 s)"));
    assertThat(health.tryAcquire(A)).as("unstable endpoints still take traffic").isTrue();
    assertThat(health.verdict(B)).isInstanceOf(Verdict.Healthy.class);

    clock.advance(Duration.ofSeconds(31));
    assertThat(health.verdict(A)).isInstanceOf(Verdict.Healthy.class);
  }

  @Test
  void anOccasionalFailureAmongSuccessesIsNotSignificant() {
    health.record(A, null);
    health.record(A, null);
    health.record(A, SERVER);

    assertThat(health.verdict(A)).isInstanceOf(Verdict.Healthy.class);
    health.record(A, SERVER);
    assertThat(health.verdict(A)).isInstanceOf(Verdict.Unstable.class);
  }

  @Test
  void failuresOfTheRequestNotTheEndpointCountForNothing() {
    for (int i = 0; i < 10; i++) {
      health.record(A, BAD_REQUEST);
      health.record(A, UpstreamError.of(Kind.CANCELLED, 0, "gone"));
    }
    assertThat(health.verdict(A)).isInstanceOf(Verdict.Healthy.class);
  }

  @Test
  void breakerOpensAfterConsecutiveFailuresProbesAfterTheCooldownAndClosesOnSuccess() {
    health.record(A, SERVER);
    health.record(A, SERVER);
    assertThat(health.tryAcquire(A)).isTrue();
    health.record(A, SERVER);

    assertThat(health.verdict(A)).isInstanceOfSatisfying(Verdict.Unavailable.class, v -> {
      assertThat(v.cause()).isEqualTo(Cause.CIRCUIT_OPEN);
      assertThat(v.until()).isEqualTo(clock.instant().plusSeconds(30));
    });
    assertThat(health.tryAcquire(A)).isFalse();
    assertThat(health.snapshot(A).circuit()).isEqualTo("open");

    clock.advance(Duration.ofSeconds(30));
    assertThat(health.verdict(A)).isInstanceOf(Verdict.Unstable.class);
    assertThat(health.snapshot(A).circuit()).isEqualTo("half_open");
    assertThat(health.tryAcquire(A)).as("the probe").isTrue();
    assertThat(health.tryAcquire(A)).as("one probe at a time").isFalse();
    assertThat(health.verdict(A)).isInstanceOf(Verdict.Unavailable.class);

    health.record(A, null);
    assertThat(health.snapshot(A).circuit()).isEqualTo("closed");
    assertThat(health.snapshot(A).consecutiveFailures()).isZero();
    assertThat(health.tryAcquire(A)).isTrue();
    assertThat(health.tryAcquire(A)).isTrue();
  }

  @Test
  void aFailedProbeOpensTheCircuitForAnotherCooldown() {
    openCircuit(A);
    clock.advance(Duration.ofSeconds(30));
    assertThat(health.tryAcquire(A)).isTrue();

    health.record(A, SERVER);

    assertThat(health.tryAcquire(A)).isFalse();
    assertThat(health.verdict(A)).isInstanceOfSatisfying(Verdict.Unavailable.class,
        v -> assertThat(v.until()).isEqualTo(clock.instant().plusSeconds(30)));
  }

  @Test
  void aProbeThatEndsWithoutVerdictFreesTheProbeForTheNextRequest() {
    openCircuit(A);
    clock.advance(Duration.ofSeconds(30));
    assertThat(health.tryAcquire(A)).isTrue();

    health.record(A, UpstreamError.of(Kind.CANCELLED, 0, "client left"));

    assertThat(health.tryAcquire(A)).isTrue();
  }

  @Test
  void successResetsTheConsecutiveCount() {
    health.record(A, SERVER);
    health.record(A, SERVER);
    health.record(A, null);
    health.record(A, SERVER);
    health.record(A, SERVER);
    assertThat(health.tryAcquire(A)).isTrue();
    assertThat(health.snapshot(A).circuit()).isEqualTo("closed");
  }

  @Test
  void retryAfterFromA429KeepsTrafficAwayUntilThenCapped() {
    health.record(A, new UpstreamError(Kind.RATE_LIMITED, 429, Duration.ofSeconds(20), "slow down", null));

    assertThat(health.tryAcquire(A)).isFalse();
    assertThat(health.verdict(A)).isInstanceOfSatisfying(Verdict.Unavailable.class, v -> {
      assertThat(v.cause()).isEqualTo(Cause.RATE_LIMITED);
      assertThat(v.until()).isEqualTo(clock.instant().plusSeconds(20));
    });
    clock.advance(Duration.ofSeconds(20));
    assertThat(health.tryAcquire(A)).isTrue();

    health.record(B, new UpstreamError(Kind.SERVER, 503, Duration.ofHours(2), "overloaded", null));
    assertThat(health.verdict(B)).isInstanceOfSatisfying(Verdict.Unavailable.class, v -> {
      assertThat(v.cause()).isEqualTo(Cause.OVERLOADED);
      assertThat(v.until()).as("capped at max_retry_after").isEqualTo(clock.instant().plus(Duration.ofMinutes(5)));
    });
  }

  @Test
  void retryAfterIsIgnoredWhenTheCapIsZeroAndTheBreakerCanBeSwitchedOff() {
    LocalEndpointHealth lenient = new LocalEndpointHealth(
        new RoutingConfig.Health(Duration.ofSeconds(30), 0, Duration.ofSeconds(30), Duration.ZERO), clock);
    for (int i = 0; i < 20; i++) {
      lenient.record(A, new UpstreamError(Kind.RATE_LIMITED, 429, Duration.ofSeconds(20), "slow down", null));
    }
    assertThat(lenient.tryAcquire(A)).isTrue();
    assertThat(lenient.verdict(A)).isInstanceOf(Verdict.Unstable.class);
  }

  @Test
  void concurrentProbesLetExactlyOneThrough() throws Exception {
    openCircuit(A);
    clock.advance(Duration.ofSeconds(30));
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 32; i++) {
        futures.add(pool.submit(() -> {
          go.await();
          if (health.tryAcquire(A)) {
            admitted.incrementAndGet();
          }
          return null;
        }));
      }
      go.countDown();
      for (var future : futures) {
        future.get();
      }
    }
    assertThat(admitted).hasValue(1);
  }

  private void openCircuit(EndpointId id) {
    for (int i = 0; i < 3; i++) {
      health.record(id, SERVER);
    }
    assertThat(health.tryAcquire(id)).isFalse();
  }
}

package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.accounting.Reservations;
import dev.switchboard.config.LimitsConfig;
import dev.switchboard.config.RedisConfig;
import dev.switchboard.config.RoutingConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.limits.LocalRateBuckets;
import dev.switchboard.limits.RateBuckets;
import dev.switchboard.routing.health.EndpointHealth;
import dev.switchboard.routing.health.EndpointId;
import dev.switchboard.routing.health.LocalEndpointHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "nodes" in one JVM (two Redis links under one prefix) sharing rate buckets, endpoint health
 * and session pins; and one link riding out a private Redis that is killed and restarted.
 */
@RequiresRedis
class RedisSharedStateTest {
  private static final EndpointId BROKEN = new EndpointId("mock/model", "broken");

  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  @Test
  void twoNodesDrawFromOneBucket() {
    RedisConfig config = TestRedis.config();
    try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
      RateBuckets onA = new RedisRateBuckets(a);
      RateBuckets onB = new RedisRateBuckets(b);
      int admitted = 0;
      long start = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        if ((i % 2 == 0 ? onA : onB).tryConsume("k:test:r", 5, 1).consumed()) {
          admitted++;
        }
      }
      long refills = (System.nanoTime() - start) * 5 / 60_000_000_000L;
      assertThat(admitted).isBetween(5, 5 + (int) refills);
      onA.adjust("k:test:r", 5, -1);
      assertThat(onB.tryConsume("k:test:r", 5, 1).consumed()).isTrue();
    }
  }

  @Test
  void aRedisBucketAtTheHighestRateIsBuilt() {
    try (RedisLink link = RedisLink.start(TestRedis.config())) {
      String bucket = "k:max-" + System.nanoTime() + ":r";
      assertThat(new RedisRateBuckets(link).tryConsume(bucket, LimitsConfig.MAX_PER_MINUTE, 1_000).consumed())
          .isTrue();
    }
  }

  @Test
  void aCircuitOpenedOnOneNodeKeepsTheOtherAwayAndANewNodeCatchesUp() {
    RedisConfig config = TestRedis.config();
    RoutingConfig.Health rules = new RoutingConfig.Health(Duration.ofSeconds(30), 1, Duration.ofSeconds(60),
        Duration.ofMinutes(5));
    try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
      EndpointHealth onA = new RedisEndpointHealth(new LocalEndpointHealth(rules, InstantSource.system()), a,
          InstantSource.system());
      EndpointHealth onB = new RedisEndpointHealth(new LocalEndpointHealth(rules, InstantSource.system()), b,
          InstantSource.system());
      assertThat(onB.tryAcquire(BROKEN)).isTrue();
      onB.record(BROKEN, null);
      onA.record(BROKEN, new UpstreamError(UpstreamError.Kind.SERVER, 500, null, "boom", null));
      assertThat(eventually(Duration.ofSeconds(5), () -> !onB.tryAcquire(BROKEN))).isTrue();
      assertThat(onB.verdict(BROKEN)).isInstanceOf(EndpointHealth.Verdict.Unavailable.class);
      assertThat(onB.snapshot(BROKEN).unavailableUntil()).isNotNull();

      // A node started later reads the verdict from Redis.
      try (RedisLink c = RedisLink.start(config)) {
        EndpointHealth onC = new RedisEndpointHealth(new LocalEndpointHealth(rules, InstantSource.system()), c,
            InstantSource.system());
        assertThat(onC.tryAcquire(BROKEN)).isFalse();
      }
    }
  }

  @Test
  void aSessionPinnedOnOneNodeIsFoundOnTheOther() {
    RedisConfig config = TestRedis.config();
    try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
      new RedisSessionPins(a, Duration.ofMinutes(1)).put("acct\nsession-1", "mock/model", BROKEN);
      RedisSessionPins onB = new RedisSessionPins(b, Duration.ofMinutes(1));
      assertThat(eventually(Duration.ofSeconds(5), () -> BROKEN.equals(onB.get("acct\nsession-1", "mock/model"))))
          .isTrue();
      assertThat(onB.get("acct\nsession-2", "mock/model")).isNull();
    }
  }

  @Test
  void reservationsMadeOnTwoNodesNeverHoldMoreThanTheCapTogether() throws Exception {
    RedisConfig config = TestRedis.config();
    try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
      Reservations[] nodes = {new RedisReservations(a), new RedisReservations(b)};
      List<Reservations.Hold> holds = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      AtomicInteger refused = new AtomicInteger();
      try (var pool = Executors.newFixedThreadPool(8)) {
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
          Reservations node = nodes[i % 2];
          done.add(pool.submit(() -> {
            Reservations.Marks marks = node.marks("acct", "key");
            try {
              holds.add(node.reserve("acct", "key", marks, new Reservations.Room(1_000L, null), held -> {
                if (1_000 - held.key() < 300) {
                  throw new IllegalStateException("refused");
                }
                return 300;
              }));
            } catch (IllegalStateException e) {
              refused.incrementAndGet();
            }
          }));
        }
        for (var future : done) {
          future.get();
        }
      }
      assertThat(holds).hasSize(3);
      assertThat(holds).allMatch(Reservations.Hold::shared);
      assertThat(refused.get()).isEqualTo(21);
      Reservations.Marks before = nodes[1].marks("acct", "key");
      for (Reservations.Hold hold : holds) {
        nodes[0].release(hold, 350);
      }
      Reservations.Marks after = nodes[1].marks("acct", "key");
      assertThat(after.keyReleased() - before.keyReleased()).isEqualTo(1_050);
      // Everything released: the next reservation sees only what was released since its marks.
      Reservations.Hold next = nodes[1].reserve("acct", "key", after, new Reservations.Room(1_000L, null), held -> {
        assertThat(held.key()).isZero();
        return 300;
      });
      nodes[1].release(next, 300);
    }
  }

  @Test
  void aHoldResizedOnOneNodeIsHeldAtItsNewAmountOnTheOther() {
    RedisConfig config = TestRedis.config();
    try (RedisLink a = RedisLink.start(config); RedisLink b = RedisLink.start(config)) {
      dev.switchboard.accounting.LocalReservationsTest.aResizedHoldIsHeldAtItsNewAmountUntilReleased(
          new RedisReservations(a), new RedisReservations(b));
    }
  }

  @Test
  void bucketsKeepAnsweringWhileRedisIsDownAndTheLinkRecovers(@TempDir Path dir) {
    try (RedisServerProcess server = RedisServerProcess.start(dir);
        RedisLink link = RedisLink.start(new RedisConfig(Secret.of(server.url()), TestRedis.freshPrefix(),
            Duration.ofMillis(300)))) {
      RateBuckets buckets = new FailoverRateBuckets(link, new RedisRateBuckets(link), new LocalRateBuckets());
      assertThat(link.up()).isTrue();
      assertThat(buckets.tryConsume("k:x:r", 1000, 1).consumed()).isTrue();
      server.kill();
      for (int i = 0; i < 20; i++) {
        assertThat(buckets.tryConsume("k:x:r", 1000, 1).consumed()).isTrue();
      }
      assertThat(eventually(Duration.ofSeconds(5), () -> !link.up())).isTrue();
      server.restart();
      assertThat(eventually(Duration.ofSeconds(20), link::up)).isTrue();
      assertThat(buckets.tryConsume("k:x:r", 1000, 1).consumed()).isTrue();
    }
  }

  @Test
  void aNodeStartsDegradedWhenRedisIsDownAndJoinsWhenItComes(@TempDir Path dir) {
    try (RedisServerProcess server = RedisServerProcess.start(dir)) {
      server.kill();
      try (RedisLink link = RedisLink.start(new RedisConfig(Secret.of(server.url()), TestRedis.freshPrefix(),
          Duration.ofMillis(300)))) {
        assertThat(link.up()).isFalse();
        RateBuckets buckets = new FailoverRateBuckets(link, new RedisRateBuckets(link), new LocalRateBuckets());
        assertThat(buckets.tryConsume("k:y:r", 10, 1).consumed()).isTrue();
        server.restart();
        assertThat(eventually(Duration.ofSeconds(20), link::up)).isTrue();
        assertThat(buckets.tryConsume("k:y:r", 10, 1).remaining()).isEqualTo(9);
      }
    }
  }
}

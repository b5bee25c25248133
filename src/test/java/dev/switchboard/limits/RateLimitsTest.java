package dev.switchboard.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.config.LimitsConfig;
import dev.switchboard.core.GatewayException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rate-limit policy against a bucket store that never refills: which buckets a request draws
 * from, that a refusal gives back what the other buckets gave, and that settlement corrects token
 * buckets by real usage.
 */
class RateLimitsTest {
  /** Buckets that start full and never refill, recording every adjustment. */
  static final class FixedBuckets implements RateBuckets {
    final Map<String, Long> left = new HashMap<>();
    final List<String> adjustments = new ArrayList<>();

    @Override
    public synchronized Probe tryConsume(String bucket, long perMinute, long amount) {
      long have = left.computeIfAbsent(bucket, b -> perMinute);
      if (have >= amount) {
        left.put(bucket, have - amount);
        return new Probe(true, have - amount, 0, 1_000_000_000L);
      }
      return new Probe(false, Math.max(0, have), 2_500_000_000L, 60_000_000_000L);
    }

    @Override
    public synchronized void adjust(String bucket, long perMinute, long delta) {
      adjustments.add(bucket + " " + delta);
      left.merge(bucket, -delta, Long::sum);
    }
  }

  private static final LimitsConfig CONFIG = new LimitsConfig(new LimitsConfig.Rate(100L, 1000L),
      new LimitsConfig.Rate(null, 5000L),
      Map.of("m/x", new LimitsConfig.ModelLimits(new LimitsConfig.Rate(2L, null), LimitsConfig.Rate.NONE)));

  private static RateLimits.Subject subject(String model, RateLimit own) {
    return new RateLimits.Subject("k1", "acct", model, own);
  }

  @Test
  void aKeysOwnFiguresReplaceTheDefaultsOneByOne() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(CONFIG, buckets);
    RateLimits.Admitted admitted = limits.admit(subject("m/y", new RateLimit(7L, null)), 10, "g1");
    assertThat(admitted.requests().limit()).isEqualTo(7);
    assertThat(admitted.requests().remaining()).isEqualTo(6);
    // The key's tokens come from limits.key (1000); the account's 5000 leaves more, so the key's is tighter.
    assertThat(admitted.tokens().limit()).isEqualTo(1000);
    assertThat(admitted.tokens().remaining()).isEqualTo(990);
    assertThat(buckets.left).containsEntry("a:acct:t", 4990L).doesNotContainKey("a:acct:r");
  }

  @Test
  void aRefusalGivesBackWhatTheOtherBucketsGave() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(CONFIG, buckets);
    limits.admit(subject("m/x", RateLimit.NONE), 10, "g1");
    limits.admit(subject("m/x", RateLimit.NONE), 10, "g2");
    assertThatThrownBy(() -> limits.admit(subject("m/x", RateLimit.NONE), 10, "g3"))
        .isInstanceOfSatisfying(GatewayException.RateLimited.class, e -> {
          assertThat(e.retryAfterSeconds()).isEqualTo(3);
          assertThat(e.getMessage()).contains("this key's m/x limit of 2 requests per minute");
        });
    // The key, its tokens and the account's tokens were taken from, then given back.
    assertThat(buckets.left).containsEntry("k:k1:r", 98L).containsEntry("k:k1:t", 980L)
        .containsEntry("a:acct:t", 4980L);
  }

  @Test
  void settlementCorrectsEveryTokenBucketByTheRealUsageOnce() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(CONFIG, buckets);
    limits.admit(subject("m/y", RateLimit.NONE), 10, "g1");
    limits.settled("g1", 250);
    limits.settled("g1", 250);
    assertThat(buckets.left).containsEntry("k:k1:t", 750L).containsEntry("a:acct:t", 4750L);
    assertThat(buckets.adjustments).containsExactlyInAnyOrder("k:k1:t 240", "a:acct:t 240");

    limits.admit(subject("m/y", RateLimit.NONE), 10, "g2");
    limits.settled("g2", 0); // failed without usage: the estimate comes back
    assertThat(buckets.left).containsEntry("k:k1:t", 750L);
  }

  /** Prompt tokens whose tokenizer count, when asked for, is counted in {@code exactCalls}. */
  private static RateLimits.PromptTokens prompt(long quick, long exact, AtomicInteger exactCalls) {
    return new RateLimits.PromptTokens(() -> quick, () -> {
      exactCalls.incrementAndGet();
      return exact;
    });
  }

  @Test
  void aSmallPromptIsCountedByTheQuickGuessALargeOneByTheTokenizer() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(CONFIG, buckets);
    AtomicInteger exactCalls = new AtomicInteger();
    // The tightest token limit is the key's 1000: a guess up to 1000 / 16 / 3 = 20 stands.
    limits.admit(subject("m/y", RateLimit.NONE), prompt(20, 12, exactCalls), "g1");
    assertThat(exactCalls).hasValue(0);
    assertThat(buckets.left).containsEntry("k:k1:t", 980L);
    limits.admit(subject("m/y", RateLimit.NONE), prompt(21, 30, exactCalls), "g2");
    assertThat(exactCalls).hasValue(1);
    assertThat(buckets.left).containsEntry("k:k1:t", 950L);
    // Settlement corrects each by its real usage, whichever estimate was taken.
    limits.settled("g1", 12);
    assertThat(buckets.left).containsEntry("k:k1:t", 958L);
  }

  @Test
  void aRequestTheGuessLeavesRefusedIsTriedAgainWithTheTokenizersLowerCount() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(CONFIG, buckets);
    limits.admit(subject("m/y", RateLimit.NONE), 990, "g0"); // 10 tokens left in the key's bucket
    AtomicInteger exactCalls = new AtomicInteger();
    assertThatThrownBy(() -> limits.admit(subject("m/y", RateLimit.NONE), prompt(15, 15, exactCalls), "g1"))
        .isInstanceOf(GatewayException.RateLimited.class);
    limits.admit(subject("m/y", RateLimit.NONE), prompt(15, 8, exactCalls), "g2");
    assertThat(exactCalls).hasValue(2);
    assertThat(buckets.left).containsEntry("k:k1:t", 2L).containsEntry("k:k1:r", 98L);
  }

  @Test
  void withoutATokenLimitThePromptIsNotEstimated() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(
        new LimitsConfig(new LimitsConfig.Rate(100L, null), LimitsConfig.Rate.NONE, Map.of()), buckets);
    RateLimits.PromptTokens never = new RateLimits.PromptTokens(() -> {
      throw new AssertionError("quick guess asked for");
    }, () -> {
      throw new AssertionError("tokenizer asked for");
    });
    assertThat(limits.admit(subject("m/y", RateLimit.NONE), never, "g1").requests().remaining()).isEqualTo(99);
  }

  @Test
  void nothingAppliesWithoutLimitsAndNothingIsTaken() {
    FixedBuckets buckets = new FixedBuckets();
    RateLimits limits = new RateLimits(LimitsConfig.NONE, buckets);
    assertThat(limits.applies(subject("m/x", RateLimit.NONE))).isFalse();
    assertThat(limits.admit(subject("m/x", RateLimit.NONE), 10, "g")).isEqualTo(RateLimits.Admitted.NONE);
    assertThat(buckets.left).isEmpty();
  }

  @Test
  void aBucketAtTheHighestRateIsBuilt() {
    LocalRateBuckets local = new LocalRateBuckets();
    assertThat(local.tryConsume("max", LimitsConfig.MAX_PER_MINUTE, 1_000).consumed()).isTrue();
    assertThatThrownBy(() -> new RateLimit(LimitsConfig.MAX_PER_MINUTE + 1, null))
        .hasMessageContaining("requests_per_minute must be at most 60000000000");
  }

  @Test
  void localBucketsAdmitExactlyTheirCapacityAtOnce() {
    LocalRateBuckets local = new LocalRateBuckets();
    int admitted = 0;
    for (int i = 0; i < 10; i++) {
      if (local.tryConsume("b", 5, 1).consumed()) {
        admitted++;
      }
    }
    // Five at once; a sixth only if the test stalled for 12 s (one refill at 5 a minute).
    assertThat(admitted).isBetween(5, 6);
    local.adjust("b", 5, -2);
    assertThat(local.tryConsume("b", 5, 2).consumed()).isTrue();
  }
}

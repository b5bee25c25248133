package dev.switchboard.routing.health;

import java.time.Duration;

/**
 * Successes and failures over a sliding time window, as a ring of fixed-width buckets: recording
 * and summing cost a few array operations and the memory is fixed, however much traffic there is.
 * A window is accurate to one bucket width.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
final class SlidingCounts {
  private final long bucketMillis;
  private final long[] slots;
  private final long[] successes;
  private final long[] failures;

  /** Counts over {@code buckets} buckets of {@code width} each. */
  SlidingCounts(Duration width, int buckets) {
    if (width.toMillis() <= 0 || buckets <= 0) {
      throw new IllegalArgumentException("a sliding window needs a positive bucket width and count");
    }
    this.bucketMillis = width.toMillis();
    this.slots = new long[buckets];
    this.successes = new long[buckets];
    this.failures = new long[buckets];
    java.util.Arrays.fill(slots, Long.MIN_VALUE);
  }

  void add(long nowMillis, boolean success) {
    long slot = Math.floorDiv(nowMillis, bucketMillis);
    int i = (int) Math.floorMod(slot, (long) slots.length);
    if (slots[i] != slot) {
      slots[i] = slot;
      successes[i] = 0;
      failures[i] = 0;
    }
    if (success) {
      successes[i]++;
    } else {
      failures[i]++;
    }
  }

  /** The counts of the buckets that overlap the last {@code window} (the current one included). */
  Totals totals(long nowMillis, Duration window) {
    long current = Math.floorDiv(nowMillis, bucketMillis);
    long oldest = current - Math.max(1, Math.min(slots.length, ceilDiv(window.toMillis(), bucketMillis))) + 1;
    long ok = 0;
    long failed = 0;
    for (int i = 0; i < slots.length; i++) {
      if (slots[i] >= oldest && slots[i] <= current) {
        ok += successes[i];
        failed += failures[i];
      }
    }
    return new Totals(ok, failed);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Counts in a window. */
  record Totals(long successes, long failures) {
    long total() {
      return successes + failures;
    }
  }
}

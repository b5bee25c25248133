package dev.switchboard.routing.health;

import org.HdrHistogram.IntCountsHistogram;
import org.jspecify.annotations.Nullable;

/**
 * Percentiles of values recorded over the last minutes, as a ring of one-minute HdrHistograms
 * merged on read. One significant digit (about 6% precision) keeps a slot near one kilobyte, so
 * a busy endpoint costs tens of kilobytes; that is plenty for routing and display.
 *
 * <p>Values are non-negative longs in the caller's unit, clamped to {@code [1, highest]}.
 *
 * <p>Not thread-safe: the owner synchronizes.
 */
final class WindowedHistogram {
  private static final long SLOT_MILLIS = 60_000;

  private final long highest;
  private final long[] slots;
  private final @Nullable IntCountsHistogram[] histograms;

  WindowedHistogram(int minutes, long highest) {
    this.highest = highest;
    this.slots = new long[minutes];
    this.histograms = new IntCountsHistogram[minutes];
    java.util.Arrays.fill(slots, Long.MIN_VALUE);
  }

  void record(long nowMillis, long value) {
    long slot = Math.floorDiv(nowMillis, SLOT_MILLIS);
    int i = (int) Math.floorMod(slot, (long) slots.length);
    IntCountsHistogram histogram = histograms[i];
    if (histogram == null) {
      histogram = empty(highest);
      histograms[i] = histogram;
      slots[i] = slot;
    } else if (slots[i] != slot) {
      histogram.reset();
      slots[i] = slot;
    }
    histogram.recordValue(Math.max(1, Math.min(highest, value)));
  }

  /** The values recorded over the last {@code minutes} (the current minute included), merged; null without data. */
  @Nullable IntCountsHistogram merged(long nowMillis, int minutes) {
    long current = Math.floorDiv(nowMillis, SLOT_MILLIS);
    IntCountsHistogram merged = null;
    for (int i = 0; i < slots.length; i++) {
      IntCountsHistogram histogram = histograms[i];
      if (histogram != null && slots[i] > current - minutes && slots[i] <= current && histogram.getTotalCount() > 0) {
        if (merged == null) {
          merged = empty(highest);
        }
        merged.add(histogram);
      }
    }
    return merged;
  }

  /** An empty histogram of the shape this class records into, values up to {@code highest}. */
  static IntCountsHistogram empty(long highest) {
    return new IntCountsHistogram(1, highest, 1);
  }

  /**
   * The percentiles of {@code merged}, each value divided by {@code scale}.
   *
   * @param higherIsBetter for throughput: OpenRouter's "p90" is then the value 90% of requests
   *     reach or beat, the 10th percentile, so that every pNN reads as "NN% were at least this good"
   */
  static Percentiles percentiles(IntCountsHistogram merged, double scale, boolean higherIsBetter) {
    return higherIsBetter
        ? new Percentiles(value(merged, 50, scale), value(merged, 25, scale), value(merged, 10, scale),
            value(merged, 1, scale))
        : new Percentiles(value(merged, 50, scale), value(merged, 75, scale), value(merged, 90, scale),
            value(merged, 99, scale));
  }

  /** One percentile (0 to 100) of {@code merged}, rounded up to the histogram's precision. */
  static long valueAt(IntCountsHistogram merged, double percentile) {
    return merged.highestEquivalentValue(merged.getValueAtPercentile(percentile));
  }

  private static double value(IntCountsHistogram histogram, double percentile, double scale) {
    // The median of equivalent values: the middle of the sub-bucket the percentile falls in.
    return histogram.medianEquivalentValue(histogram.getValueAtPercentile(percentile)) / scale;
  }
}

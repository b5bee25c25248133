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
      histogram = new IntCountsHistogram(1, highest, 1);
      histograms[i] = histogram;
      slots[i] = slot;
    } else if (slots[i] != slot) {
      histogram.reset();
      slots[i] = slot;
    }
    histogram.recordValue(Math.max(1, Math.min(highest, value)));
  }

  /**
   * The percentiles over the last {@code minutes} (the current minute included), each value divided
   * by {@code scale}; null without data.
   *
   * @param higherIsBetter for throughput: OpenRouter's "p90" is then the value 90% of requests
   *     reach or beat, the 10th percentile, so that every pNN reads as "NN% were at least this good"
   */
  @Nullable Percentiles percentiles(long nowMillis, int minutes, double scale, boolean higherIsBetter) {
    long current = Math.floorDiv(nowMillis, SLOT_MILLIS);
    IntCountsHistogram merged = null;
    for (int i = 0; i < slots.length; i++) {
      IntCountsHistogram histogram = histograms[i];
      if (histogram != null && slots[i] > current - minutes && slots[i] <= current && histogram.getTotalCount() > 0) {
        if (merged == null) {
          merged = new IntCountsHistogram(1, highest, 1);
        }
        merged.add(histogram);
      }
    }
    if (merged == null) {
      return null;
    }
    return higherIsBetter
        ? new Percentiles(value(merged, 50, scale), value(merged, 25, scale), value(merged, 10, scale),
            value(merged, 1, scale))
        : new Percentiles(value(merged, 50, scale), value(merged, 75, scale), value(merged, 90, scale),
            value(merged, 99, scale));
  }

  /** One percentile (0 to 100) over the last {@code minutes}, in the caller's unit; null without data. */
  @Nullable Long valueAt(long nowMillis, int minutes, double percentile) {
    long current = Math.floorDiv(nowMillis, SLOT_MILLIS);
    IntCountsHistogram merged = null;
    for (int i = 0; i < slots.length; i++) {
      IntCountsHistogram histogram = histograms[i];
      if (histogram != null && slots[i] > current - minutes && slots[i] <= current && histogram.getTotalCount() > 0) {
        if (merged == null) {
          merged = new IntCountsHistogram(1, highest, 1);
        }
        merged.add(histogram);
      }
    }
    return merged == null ? null : merged.highestEquivalentValue(merged.getValueAtPercentile(percentile));
  }

  private static double value(IntCountsHistogram histogram, double percentile, double scale) {
    // The median of equivalent values: the middle of the sub-bucket the percentile falls in.
    return histogram.medianEquivalentValue(histogram.getValueAtPercentile(percentile)) / scale;
  }
}

package dev.switchboard.store;

import org.jspecify.annotations.Nullable;

/**
 * What a key has spent, in nano-USD, as of one instant: in total and in the UTC day, ISO week and
 * calendar month that instant falls in. Read from running counters, so it costs one row whatever
 * the key's history.
 */
public record KeyUsage(long totalNanos, long dailyNanos, long weeklyNanos, long monthlyNanos) {
  public static final KeyUsage ZERO = new KeyUsage(0, 0, 0, 0);

  public KeyUsage {
    if (totalNanos < 0 || dailyNanos < 0 || weeklyNanos < 0 || monthlyNanos < 0) {
      throw new IllegalArgumentException("usage must not be negative");
    }
  }

  /** What counts against a limit that resets as {@code reset} says: the total when it never does. */
  public long inWindow(@Nullable LimitReset reset) {
    if (reset == null) {
      return totalNanos;
    }
    return switch (reset) {
      case DAILY -> dailyNanos;
      case WEEKLY -> weeklyNanos;
      case MONTHLY -> monthlyNanos;
    };
  }
}

package dev.switchboard.store;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The UTC windows an instant falls in, as OpenRouter defines a key's limit periods: the day from
 * midnight UTC, the ISO week from Monday midnight UTC, the calendar month from its first midnight
 * UTC. Each is given as the epoch millisecond it starts at, the form {@code key_usage} stores.
 */
public record UsageWindows(long dayStart, long weekStart, long monthStart) {

  /** The windows {@code at} falls in. */
  public static UsageWindows of(Instant at) {
    LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
    return new UsageWindows(
        millis(day),
        millis(day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))),
        millis(day.withDayOfMonth(1)));
  }

  /** The start of the window {@code reset} names; {@link Long#MIN_VALUE} (all time) for null. */
  public long start(@org.jspecify.annotations.Nullable LimitReset reset) {
    if (reset == null) {
      return Long.MIN_VALUE;
    }
    return switch (reset) {
      case DAILY -> dayStart;
      case WEEKLY -> weekStart;
      case MONTHLY -> monthStart;
    };
  }

  /** UTC midnight at the start of {@code day}, in epoch milliseconds. */
  public static long millis(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}

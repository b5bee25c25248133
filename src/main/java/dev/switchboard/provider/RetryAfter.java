package dev.switchboard.provider;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * How long a provider asked the gateway to wait, read from its response headers; shared by the
 * adapters' error classifiers so that every provider's hint is read alike.
 *
 * <p>The standard {@code retry-after} header (RFC 9110 section 10.2.3) is delta-seconds or an
 * HTTP-date. An HTTP-date is measured against the response's own {@code date} header, not this
 * machine's clock, so a skewed clock cannot change the result; without a {@code date} header it is
 * ignored. Delta-seconds may be fractional and are rounded up to the millisecond. Negative or
 * unreadable values are ignored (null), since a wrong hint is worse than none.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /** The {@code retry-after} header as delta-seconds or as an HTTP-date; null when absent or unreadable. */
  public static @Nullable Duration from(UpstreamResponse response) {
    String after = response.header("retry-after");
    if (after == null || after.isBlank()) {
      return null;
    }
    Duration seconds = seconds(after);
    return seconds != null ? seconds : untilDate(after, response.header("date"));
  }

  /** A delta-seconds value alone ({@code "7"}, {@code "1.5"}); null for anything else, an HTTP-date included. */
  public static @Nullable Duration seconds(@Nullable String value) {
    return nonNegative(value, 1000);
  }

  /** A milliseconds value, possibly fractional ({@code "612.5"}), as OpenAI's {@code retry-after-ms} is. */
  public static @Nullable Duration millis(@Nullable String value) {
    return nonNegative(value, 1);
  }

  private static @Nullable Duration nonNegative(@Nullable String value, int millisPerUnit) {
    if (value == null) {
      return null;
    }
    try {
      double units = Double.parseDouble(value.strip());
      return units >= 0 && Double.isFinite(units) ? Duration.ofMillis((long) Math.ceil(units * millisPerUnit)) : null;
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  /** From the response's {@code date} to an HTTP-date; zero when that is already past. */
  private static @Nullable Duration untilDate(String httpDate, @Nullable String responseDate) {
    if (responseDate == null) {
      return null;
    }
    try {
      ZonedDateTime until = ZonedDateTime.parse(httpDate.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
      ZonedDateTime now = ZonedDateTime.parse(responseDate.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration wait = Duration.between(now, until);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

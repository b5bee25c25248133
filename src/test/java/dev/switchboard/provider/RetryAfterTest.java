package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final String DATE = "Wed, 21 Oct 2026 07:28:00 GMT";

  private static UpstreamResponse response(Map<String, String> headers) {
    return new UpstreamResponse(429, headers, new byte[0]);
  }

  @Test
  void readsDeltaSecondsRoundedUpToTheMillisecond() {
    assertThat(RetryAfter.from(response(Map.of("retry-after", "17")))).isEqualTo(Duration.ofSeconds(17));
    assertThat(RetryAfter.from(response(Map.of("retry-after", " 0.0001 ")))).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void measuresAnHttpDateAgainstTheResponsesOwnDate() {
    assertThat(RetryAfter.from(response(Map.of("retry-after", "Wed, 21 Oct 2026 07:28:30 GMT", "date", DATE))))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(RetryAfter.from(response(Map.of("retry-after", DATE, "date", "Wed, 21 Oct 2026 07:29:00 GMT"))))
        .as("a date in the past means now")
        .isEqualTo(Duration.ZERO);
    assertThat(RetryAfter.from(response(Map.of("retry-after", DATE))))
        .as("without the response's date header there is nothing to measure against")
        .isNull();
  }

  @Test
  void ignoresWhatItCannotRead() {
    for (String value : new String[] {"", " ", "-1", "soon", "NaN", "Infinity", "21 Oct 2026"}) {
      assertThat(RetryAfter.from(response(Map.of("retry-after", value, "date", DATE)))).as("'%s'", value).isNull();
    }
    assertThat(RetryAfter.from(response(Map.of()))).isNull();
  }

  @Test
  void secondsAloneIgnoresDates() {
    assertThat(RetryAfter.seconds("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(RetryAfter.seconds(DATE)).isNull();
    assertThat(RetryAfter.seconds(null)).isNull();
  }

  @Test
  void millisMayBeFractional() {
    assertThat(RetryAfter.millis("612.5")).isEqualTo(Duration.ofMillis(613));
    assertThat(RetryAfter.millis("-5")).isNull();
    assertThat(RetryAfter.millis("soon")).isNull();
    assertThat(RetryAfter.millis(null)).isNull();
  }
}

package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.http.StageTimes.Stage;
import org.junit.jupiter.api.Test;

class StageTimesTest {
  private static final long START = 1_000_000_000L;

  private static long ms(double millis) {
    return START + (long) (millis * 1_000_000);
  }

  @Test
  void eachStageLastsFromTheOneBeforeAndTheGatewayIsTheTimeLessTheUpstreams() {
    StageTimes times = new StageTimes(START);
    times.end(Stage.RECEIVE, ms(0.016));
    times.end(Stage.AUTH, ms(0.045));
    times.end(Stage.DECODE, ms(0.094));
    times.end(Stage.PLAN, ms(0.190));
    times.end(Stage.LIMITS, ms(0.274));
    times.end(Stage.ADMIT, ms(0.289));
    times.end(Stage.JOURNAL, ms(0.316));
    times.end(Stage.UPSTREAM, ms(40.316));
    times.end(Stage.SETTLE, ms(40.546));

    assertThat(times.header(ms(40.600))).isEqualTo("receive;dur=0.016, auth;dur=0.029, decode;dur=0.049,"
        + " plan;dur=0.096, limits;dur=0.084, admit;dur=0.015, journal;dur=0.027, upstream;dur=40.000,"
        + " settle;dur=0.230, gateway;dur=0.600");
  }

  @Test
  void stagesNotReachedAreLeftOut() {
    StageTimes times = new StageTimes(START);
    times.end(Stage.RECEIVE, ms(0.1));
    times.end(Stage.AUTH, ms(0.25));

    assertThat(times.header(ms(0.3))).isEqualTo("receive;dur=0.100, auth;dur=0.150, gateway;dur=0.300");
  }

  @Test
  void whileTheUpstreamHasNotAnsweredTheGatewayIsNotClaimed() {
    StageTimes times = new StageTimes(START);
    times.end(Stage.RECEIVE, ms(0.1));
    times.end(Stage.ADMIT, ms(0.2));
    times.end(Stage.JOURNAL, ms(0.3));

    // A stream committed to keep-alive comments after a second: that second is the upstream's.
    assertThat(times.header(ms(1_000.3))).isEqualTo("receive;dur=0.100, admit;dur=0.100, journal;dur=0.100");
  }

  @Test
  void durationsAreMillisecondsWithMicrosecondDigits() {
    StageTimes times = new StageTimes(START);
    times.end(Stage.RECEIVE, START + 7_000); // 7 µs
    times.end(Stage.AUTH, START + 7_000 + 1_234_567_891L); // 1.234567891 s

    assertThat(times.header(START + 7_000 + 1_234_567_891L))
        .isEqualTo("receive;dur=0.007, auth;dur=1234.567, gateway;dur=1234.574");
  }
}

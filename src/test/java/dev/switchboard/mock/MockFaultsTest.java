package dev.switchboard.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.mock.MockFaults.Interruption;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MockFaultsTest {
  @Test
  void plainTextHasNoFaults() {
    assertThat(MockFaults.parse("Hello, what is #1 in mock tests?", null))
        .isSameAs(MockFaults.NONE);
  }

  @Test
  void readsEveryDirectiveFromText() {
    MockFaults faults =
        MockFaults.parse(
            "Hi #mock:status=503 #mock:delay=250 #mock:chunk-delay=50 #mock:chunks=3"
                + " #mock:malformed #mock:no-usage #mock:reasoning #mock:error-after=2 #mock:error-status=429",
            null);

    assertThat(faults)
        .isEqualTo(
            new MockFaults(
                503,
                Duration.ofMillis(250),
                Duration.ofMillis(50),
                3,
                new Interruption.ErrorFrame(2),
                429,
                true,
                true,
                true));
  }

  @Test
  void headerWinsPerDirectiveAndNoneClearsTheText() {
    MockFaults merged =
        MockFaults.parse("#mock:status=500 #mock:delay=10", "#mock:status=429, chunks=2");
    MockFaults cleared = MockFaults.parse("#mock:status=500", "none");

    assertThat(merged.status()).isEqualTo(429);
    assertThat(merged.firstByteDelay()).isEqualTo(Duration.ofMillis(10));
    assertThat(merged.chunks()).isEqualTo(2);
    assertThat(cleared.status()).isNull();
  }

  @Test
  void ignoresUnknownNamesAndValuesOutOfRange() {
    MockFaults faults =
        MockFaults.parse(
            "#mock:status=200 #mock:chunks=0 #mock:explode #mock:delay=99999999999"
                + " #mock:error-status=200",
            null);

    assertThat(faults.status()).isNull();
    assertThat(faults.errorStatus()).isNull();
    assertThat(faults.chunks()).isNull();
    assertThat(faults.firstByteDelay()).isNull();
    assertThat(faults.interruption()).isEqualTo(new Interruption.None());
  }

  @Test
  void theMostDrasticInterruptionWins() {
    assertThat(MockFaults.parse("#mock:stall-after=1 #mock:reset", null).interruption())
        .isEqualTo(new Interruption.Reset(0));
    assertThat(MockFaults.parse("#mock:stall-after=1 #mock:error-after=4", null).interruption())
        .isEqualTo(new Interruption.ErrorFrame(4));
    assertThat(MockFaults.parse("", "stall-after=1;reset-after=2").interruption())
        .isEqualTo(new Interruption.Reset(2));
  }

  @Test
  void fallsBackToOptionsWhenNotGiven() {
    assertThat(MockFaults.NONE.chunksOr(8)).isEqualTo(8);
    assertThat(MockFaults.NONE.chunkDelayOr(Duration.ofMillis(5))).isEqualTo(Duration.ofMillis(5));
    assertThat(MockFaults.parse("#mock:delay=0", null).firstByteDelayOr(Duration.ofSeconds(1)))
        .isEqualTo(Duration.ZERO);
  }
}

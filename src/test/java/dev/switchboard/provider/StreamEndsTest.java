package dev.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.FinishReason;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import org.junit.jupiter.api.Test;

class StreamEndsTest {
  private static final Usage USAGE = new Usage(3, 4, null, null, null, false);

  @Test
  void usageSeenSoFarGoesBeforeTheLastEvent() {
    var finish = new StreamEvent.Finish(0, FinishReason.STOP, "stop");
    assertThat(StreamEnds.withUsage(USAGE, finish)).containsExactly(new StreamEvent.UsageReport(USAGE), finish);
    assertThat(StreamEnds.withUsage(null, finish)).containsExactly(finish);
  }

  @Test
  void aFailureStillReportsTheUsage() {
    UpstreamError cut = StreamEnds.cutOff();
    assertThat(cut.kind()).isEqualTo(UpstreamError.Kind.RESET);
    assertThat(cut.retryable()).isTrue();
    assertThat(StreamEnds.failed(USAGE, cut))
        .containsExactly(new StreamEvent.UsageReport(USAGE), new StreamEvent.Failure(cut));
    assertThat(StreamEnds.failed(null, cut)).containsExactly(new StreamEvent.Failure(cut));
  }
}

package dev.switchboard.provider;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.UpstreamError;
import dev.switchboard.core.Usage;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The last events of a stream, put together the same way by every adapter's {@link StreamDecoder}. */
public final class StreamEnds {
  private StreamEnds() {}

  /**
   * The usage reported so far, when there was any, then {@code last} (a finish or a failure). Usage
   * goes before a failure too, so the tokens already generated can be charged.
   */
  public static List<StreamEvent> withUsage(@Nullable Usage usage, StreamEvent last) {
    return usage == null ? List.of(last) : List.of(new StreamEvent.UsageReport(usage), last);
  }

  /** The usage reported so far, when there was any, then the failure. */
  public static List<StreamEvent> failed(@Nullable Usage usage, UpstreamError error) {
    return withUsage(usage, new StreamEvent.Failure(error));
  }

  /** A body that ended before the provider said the answer was complete: cut off on the way. */
  public static UpstreamError cutOff() {
    return UpstreamError.of(UpstreamError.Kind.RESET, 200, "upstream stream ended before it finished");
  }
}

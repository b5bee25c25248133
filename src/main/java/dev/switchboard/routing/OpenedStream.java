package dev.switchboard.routing;

import dev.switchboard.provider.StreamDecoder;
import dev.switchboard.provider.transport.UpstreamStream;
import java.util.List;

/**
 * A streamed request whose upstream has started answering: nothing has reached the client yet,
 * and from here on failures are reported in the stream rather than by falling back.
 */
public record OpenedStream(
    Attempt served, UpstreamStream stream, StreamDecoder decoder, List<AttemptOutcome> outcomes) {
  public OpenedStream {
    outcomes = List.copyOf(outcomes);
  }
}

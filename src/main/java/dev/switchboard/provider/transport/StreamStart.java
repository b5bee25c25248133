package dev.switchboard.provider.transport;

import dev.switchboard.provider.UpstreamResponse;

/** How opening a stream turned out, once the upstream answered. */
public sealed interface StreamStart {

  /** 2xx and the first body bytes arrived: frames are ready to be pulled. */
  record Streaming(UpstreamStream stream) implements StreamStart {}

  /** A non-2xx answer, read whole, for the adapter to classify. */
  record Rejected(UpstreamResponse response) implements StreamStart {}
}

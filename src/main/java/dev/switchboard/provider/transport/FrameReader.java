package dev.switchboard.provider.transport;

import dev.switchboard.provider.Frame;
import java.util.List;

/** Splits a streamed body into frames incrementally; one instance per stream, not thread-safe. */
public interface FrameReader {

  /** Consumes the next chunk of body bytes; returns the frames it completed. */
  List<? extends Frame> feed(byte[] bytes);

  /** The body ended; returns a final frame left without its terminator, if any. */
  List<? extends Frame> finish();
}

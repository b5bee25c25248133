package dev.switchboard.provider;

import dev.switchboard.core.StreamEvent;
import dev.switchboard.provider.transport.FrameReader;
import dev.switchboard.provider.transport.FrameReaders;
import java.util.ArrayList;
import java.util.List;

/** Runs a streamed body through framing and a decoder the way the transport does, for tests. */
public final class StreamDecoding {
  private StreamDecoding() {}

  /** The frames of a body delivered in {@code chunks}, split by the reader of {@code framing}. */
  public static List<Frame> frames(Framing framing, List<byte[]> chunks) {
    FrameReader reader = FrameReaders.forFraming(framing).get();
    var frames = new ArrayList<Frame>();
    for (byte[] chunk : chunks) {
      frames.addAll(reader.feed(chunk));
    }
    frames.addAll(reader.finish());
    return frames;
  }

  /** Every frame through the decoder, then the end of the stream; all the events it gave. */
  public static List<StreamEvent> decode(StreamDecoder decoder, List<? extends Frame> frames) {
    var events = new ArrayList<StreamEvent>();
    for (Frame frame : frames) {
      events.addAll(decoder.onFrame(frame));
    }
    events.addAll(decoder.onEnd());
    return events;
  }

  public static List<StreamEvent> decode(StreamDecoder decoder, Frame... frames) {
    return decode(decoder, List.of(frames));
  }
}

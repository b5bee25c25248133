package dev.switchboard.provider.transport;

import dev.switchboard.provider.Frame;
import dev.switchboard.provider.Framing;
import java.util.List;
import java.util.function.Supplier;

/** The frame reader for each framing; the one place that maps a {@link Framing} to bytes-level code. */
public final class FrameReaders {
  private FrameReaders() {}

  public static Supplier<FrameReader> forFraming(Framing framing) {
    return switch (framing) {
      case SSE -> () -> {
        SseReader reader = SseReader.create();
        return new FrameReader() {
          @Override
          public List<Frame> feed(byte[] bytes) {
            return List.copyOf(reader.feed(bytes));
          }

          @Override
          public List<Frame> finish() {
            return List.copyOf(reader.finish());
          }
        };
      };
      case NDJSON -> () -> {
        NdjsonReader reader = NdjsonReader.create();
        return new FrameReader() {
          @Override
          public List<Frame> feed(byte[] bytes) {
            return List.copyOf(reader.feed(bytes));
          }

          @Override
          public List<Frame> finish() {
            return List.copyOf(reader.finish());
          }
        };
      };
      case AWS_EVENT_STREAM -> throw new UnsupportedOperationException(
          "AWS event-stream framing arrives with the Bedrock adapter");
    };
  }
}

package dev.switchboard.provider.transport;

import dev.switchboard.provider.Framing;
import java.util.function.Supplier;

/** The frame reader for each framing; the one place that maps a {@link Framing} to byte-level code. */
public final class FrameReaders {
  private FrameReaders() {}

  public static Supplier<FrameReader> forFraming(Framing framing) {
    return switch (framing) {
      case SSE -> SseReader::create;
      case NDJSON -> NdjsonReader::create;
      case AWS_EVENT_STREAM -> AwsEventStreamReader::create;
    };
  }
}

package dev.switchboard.provider.transport;

import dev.switchboard.provider.Frame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incremental reader for newline-delimited JSON bodies (one JSON value per line), the framing
 * of Ollama's native API and of some batch endpoints.
 *
 * <p>Lines may end in {@code \n}, {@code \r\n} or {@code \r} and may be split anywhere across
 * chunks. Blank lines are skipped. Unlike SSE, NDJSON has no event terminator, so {@link
 * #finish()} returns a last line that was not followed by a newline: many servers omit it.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class NdjsonReader implements FrameReader {
  private final Lines lines;
  private @Nullable ArrayList<Frame.JsonLine> out;

  private NdjsonReader(int maxLineBytes) {
    this.lines = new Lines(maxLineBytes);
  }

  /** A reader with a 16 MiB cap per line. */
  public static NdjsonReader create() {
    return new NdjsonReader(SseReader.DEFAULT_MAX_EVENT_BYTES);
  }

  /** A reader that rejects lines longer than {@code maxLineBytes} as {@code MALFORMED}. */
  public static NdjsonReader create(int maxLineBytes) {
    return new NdjsonReader(maxLineBytes);
  }

  /** Feeds a whole array. */
  @Override
  public List<Frame.JsonLine> feed(byte[] bytes) {
    return feed(bytes, 0, bytes.length);
  }

  /** Feeds the next chunk; returns the lines it completed. */
  public List<Frame.JsonLine> feed(byte[] bytes, int offset, int length) {
    lines.split(bytes, offset, length);
    return drain();
  }

  /** The body ended: returns the unterminated last line, if it holds anything. */
  @Override
  public List<Frame.JsonLine> finish() {
    lines.flushPartialLine();
    lines.reset();
    return drain();
  }

  private List<Frame.JsonLine> drain() {
    ArrayList<Frame.JsonLine> frames = out;
    if (frames == null) {
      return List.of();
    }
    out = null;
    return frames;
  }

  private void onLine(byte[] bytes, int offset, int length) {
    int start = offset;
    int end = offset + length;
    while (start < end && isBlank(bytes[start])) {
      start++;
    }
    while (end > start && isBlank(bytes[end - 1])) {
      end--;
    }
    if (start == end) {
      return;
    }
    ArrayList<Frame.JsonLine> frames = out;
    if (frames == null) {
      frames = new ArrayList<>(4);
      out = frames;
    }
    frames.add(new Frame.JsonLine(new String(bytes, start, end - start, StandardCharsets.UTF_8)));
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  private final class Lines extends LineSplitter {
    Lines(int maxLineBytes) {
      super(maxLineBytes);
    }

    @Override
    void onLine(byte[] bytes, int offset, int length) {
      NdjsonReader.this.onLine(bytes, offset, length);
    }
  }
}

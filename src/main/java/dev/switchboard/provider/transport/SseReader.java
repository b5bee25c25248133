package dev.switchboard.provider.transport;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.UpstreamException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incremental Server-Sent Events parser: feed it the body bytes as they arrive, in chunks of
 * any size split anywhere, and it returns the events completed so far.
 *
 * <p>Follows the WHATWG "event stream interpretation" algorithm
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 *
 * <ul>
 *   <li>lines end in {@code \r\n}, {@code \n} or {@code \r}, even when the {@code \r} and the
 *       {@code \n} of one terminator arrive in different chunks;
 *   <li>an empty line dispatches the event; {@code data:} lines are joined with {@code \n}; an
 *       event without any {@code data:} line is not dispatched;
 *   <li>{@code event:} sets the type ({@code null} in the frame when absent or empty);
 *   <li>lines starting with {@code :} are comments (keep-alives such as OpenRouter's
 *       {@code : OPENROUTER PROCESSING}); {@code id:}, {@code retry:} and unknown fields are ignored,
 *       since the gateway never reconnects a completion stream;
 *   <li>one space after the colon is removed; a leading byte-order mark is skipped;
 *   <li>at the end of the body an event that was not closed by an empty line is discarded, as the
 *       spec says, because its data may be cut off.
 * </ul>
 *
 * <p>An event's data stays in UTF-8 (decoded by the frame when asked), whole lines only, so a
 * code point split across chunks decodes correctly. Performance: this sits on the streaming hot
 * path, so there is no per-byte allocation; a typical {@code data:} line costs one copy of its
 * bytes and one frame.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class SseReader implements FrameReader {
  /** The default cap on one line and on one event's data: 16 MiB. */
  public static final int DEFAULT_MAX_EVENT_BYTES = 16 << 20;

  private static final byte[] DATA = {'d', 'a', 't', 'a'};
  private static final byte[] EVENT = {'e', 'v', 'e', 'n', 't'};

  private final int maxEventBytes;
  private final Lines lines;
  private @Nullable ArrayList<Frame.Sse> out;
  private boolean started;
  private @Nullable String eventType;
  private byte @Nullable [] firstData;
  private @Nullable Joined joinedData;
  private int dataLines;
  private long dataBytes;

  private SseReader(int maxEventBytes) {
    this.maxEventBytes = maxEventBytes;
    this.lines = new Lines(maxEventBytes);
  }

  /** A reader with the default size cap. */
  public static SseReader create() {
    return new SseReader(DEFAULT_MAX_EVENT_BYTES);
  }

  /**
   * A reader that rejects any line or event larger than {@code maxEventBytes} with an {@link
   * UpstreamException} of kind {@code MALFORMED}, so a broken upstream cannot exhaust memory.
   */
  public static SseReader create(int maxEventBytes) {
    return new SseReader(maxEventBytes);
  }

  /** Feeds a whole array. */
  @Override
  public List<Frame.Sse> feed(byte[] bytes) {
    return feed(bytes, 0, bytes.length);
  }

  /**
   * Feeds the next chunk of the body.
   *
   * @return the events this chunk completed, in order; empty (and not allocated) when none
   * @throws UpstreamException of kind {@code MALFORMED} when a line or event exceeds the cap
   */
  public List<Frame.Sse> feed(byte[] bytes, int offset, int length) {
    lines.split(bytes, offset, length);
    return drain();
  }

  /** Feeds the remaining bytes of a buffer, consuming them. */
  public List<Frame.Sse> feed(ByteBuffer buffer) {
    int length = buffer.remaining();
    if (buffer.hasArray()) {
      List<Frame.Sse> frames = feed(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
      buffer.position(buffer.limit());
      return frames;
    }
    byte[] copy = new byte[length];
    buffer.get(copy);
    return feed(copy, 0, length);
  }

  /**
   * The body ended. Discards an event that was not closed by an empty line (per the spec) and
   * resets the reader.
   *
   * @return the events still owed; always empty for SSE, kept so every framing reader has the
   *     same shape
   */
  @Override
  public List<Frame.Sse> finish() {
    lines.reset();
    resetEvent();
    started = false;
    return drain();
  }

  private List<Frame.Sse> drain() {
    ArrayList<Frame.Sse> frames = out;
    if (frames == null) {
      return List.of();
    }
    out = null;
    return frames;
  }

  private void onLine(byte[] bytes, int offset, int length) {
    if (!started) {
      started = true;
      if (length >= 3 && bytes[offset] == (byte) 0xEF && bytes[offset + 1] == (byte) 0xBB
          && bytes[offset + 2] == (byte) 0xBF) {
        offset += 3;
        length -= 3;
      }
    }
    if (length == 0) {
      dispatch();
      return;
    }
    if (bytes[offset] == ':') {
      return;
    }
    int end = offset + length;
    int colon = offset;
    while (colon < end && bytes[colon] != ':') {
      colon++;
    }
    int valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && bytes[valueStart] == ' ') {
      valueStart++;
    }
    int nameLength = colon - offset;
    if (nameMatches(DATA, bytes, offset, nameLength)) {
      appendData(bytes, valueStart, end - valueStart);
    } else if (nameMatches(EVENT, bytes, offset, nameLength)) {
      eventType = end == valueStart ? null : new String(bytes, valueStart, end - valueStart, StandardCharsets.UTF_8);
    }
    // id, retry and unknown fields: ignored (the gateway never reconnects a completion stream).
  }

  private void appendData(byte[] bytes, int start, int length) {
    dataBytes += length + 1;
    if (dataBytes > maxEventBytes) {
      resetEvent();
      throw new UpstreamException(
          UpstreamError.of(
              UpstreamError.Kind.MALFORMED, 200, "upstream SSE event exceeds " + maxEventBytes + " bytes"));
    }
    // The common case is one data line per event: keep a copy of it as is and only join when a
    // second line arrives (later lines go straight from the caller's array into the join).
    if (dataLines == 0) {
      firstData = Arrays.copyOfRange(bytes, start, start + length);
    } else {
      Joined joined = joinedData;
      if (joined == null) {
        joined = new Joined(Math.max(64, (int) dataBytes * 2));
        joinedData = joined;
      }
      if (dataLines == 1) {
        joined.reset();
        joined.writeBytes(requireNonNull(firstData));
      }
      joined.write('\n');
      joined.write(bytes, start, length);
    }
    dataLines++;
  }

  private void dispatch() {
    if (dataLines == 0) {
      eventType = null;
      return;
    }
    byte[] data = dataLines == 1 || joinedData == null ? requireNonNull(firstData) : joinedData.toByteArray();
    ArrayList<Frame.Sse> frames = out;
    if (frames == null) {
      frames = new ArrayList<>(4);
      out = frames;
    }
    frames.add(Frame.Sse.ofUtf8(eventType, data));
    resetEvent();
  }

  private void resetEvent() {
    eventType = null;
    firstData = null;
    dataLines = 0;
    dataBytes = 0;
    if (joinedData != null && joinedData.capacity() > 64 * 1024) {
      joinedData = null; // do not pin a huge buffer for the rest of a long stream
    }
  }

  private static boolean nameMatches(byte[] name, byte[] bytes, int offset, int length) {
    if (length != name.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[offset + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  /** The join of a multi-line event's data, reused across events while it stays small. */
  private static final class Joined extends ByteArrayOutputStream {
    Joined(int size) {
      super(size);
    }

    int capacity() {
      return buf.length;
    }
  }

  private final class Lines extends LineSplitter {
    Lines(int maxLineBytes) {
      super(maxLineBytes);
    }

    @Override
    void onLine(byte[] bytes, int offset, int length) {
      SseReader.this.onLine(bytes, offset, length);
    }
  }
}

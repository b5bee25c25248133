package dev.switchboard.mock;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Server-sent-events framing and the splitting of texts into stream pieces. Shared by every dialect
 * that streams over SSE.
 */
final class MockChunks {
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private MockChunks() {}

  /** One {@code data: <payload>\n\n} event; the payload must not contain a newline. */
  static Buffer data(byte[] payload) {
    byte[] frame = new byte[DATA.length + payload.length + END.length];
    System.arraycopy(DATA, 0, frame, 0, DATA.length);
    System.arraycopy(payload, 0, frame, DATA.length, payload.length);
    System.arraycopy(END, 0, frame, DATA.length + payload.length, END.length);
    return Buffer.buffer(frame);
  }

  /**
   * One SSE event: an optional {@code event:} name (Anthropic names every event; OpenAI and Gemini
   * send only {@code data:}) and a one-line JSON payload. A class, not a record, because it holds
   * an array.
   */
  static final class Event implements MockFrame {
    private final @Nullable String name;
    private final byte[] data;

    Event(@Nullable String name, byte[] data) {
      this.name = name;
      this.data = data;
    }

    /** A {@code data:}-only event. */
    static Event data(byte[] payload) {
      return new Event(null, payload);
    }

    @Nullable String name() {
      return name;
    }

    /** The payload; shared, so treat it as read-only. */
    byte[] payload() {
      return data;
    }

    /** The same event with its payload cut in half: invalid JSON, for {@code #mock:malformed}. */
    @Override
    public Event cut() {
      return new Event(name, Arrays.copyOf(data, data.length / 2));
    }

    /** The event as SSE bytes. */
    @Override
    public Buffer frame() {
      if (name == null) {
        return MockChunks.data(data);
      }
      byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
      Buffer frame = Buffer.buffer(EVENT.length + nameBytes.length + 1 + DATA.length + data.length + 2);
      return frame.appendBytes(EVENT).appendBytes(nameBytes).appendByte((byte) '\n').appendBuffer(MockChunks.data(data));
    }
  }

  /** OpenAI's end-of-stream sentinel, {@code data: [DONE]}. */
  static Buffer done() {
    // A fresh buffer each time: Vert.x buffers carry read/write state and must not be shared.
    return Buffer.buffer(DONE);
  }

  /** Concatenates frames so a stream without pacing goes out in one write. */
  static Buffer join(List<Buffer> frames) {
    int size = 0;
    for (Buffer frame : frames) {
      size += frame.length();
    }
    Buffer all = Buffer.buffer(size);
    frames.forEach(all::appendBuffer);
    return all;
  }

  /**
   * Splits {@code text} into at most {@code pieces} parts of near-equal length in code points (the
   * first parts take the remainder). Never splits a surrogate pair; an empty text has no parts.
   */
  static List<String> split(String text, int pieces) {
    int codePoints = text.codePointCount(0, text.length());
    int parts = Math.min(pieces, codePoints);
    List<String> result = new ArrayList<>(parts);
    int start = 0;
    for (int i = 0; i < parts; i++) {
      int size = codePoints / parts + (i < codePoints % parts ? 1 : 0);
      int end = text.offsetByCodePoints(start, size);
      result.add(text.substring(start, end));
      start = end;
    }
    return result;
  }
}

package dev.switchboard.mock;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-sent-events framing and the splitting of texts into stream pieces. Shared by every dialect
 * that streams over SSE.
 */
final class MockChunks {
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

package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.UpstreamException;
import java.util.Arrays;

/**
 * Splits a byte stream into lines ended by {@code \n}, {@code \r\n} or a lone {@code \r}, as the
 * WHATWG event-stream grammar defines them, however the stream is chunked.
 *
 * <p>Design: a line that lies wholly inside one chunk is handed to {@link #onLine} straight from
 * the caller's array, with no copy. Only a line that straddles chunks is assembled in a reusable
 * buffer. A {@code \r} at the very end of a chunk leaves a flag behind, so a {@code \n} opening
 * the next chunk is not mistaken for an empty line (which in SSE would dispatch an event).
 *
 * <p>Not thread-safe: one instance per stream.
 */
abstract class LineSplitter {
  private final int maxLineBytes;
  private byte[] pending = new byte[128];
  private int pendingLength;
  private boolean skipLeadingLf;

  LineSplitter(int maxLineBytes) {
    if (maxLineBytes <= 0) {
      throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Receives one complete line, without its terminator. The array is only valid during the call. */
  abstract void onLine(byte[] bytes, int offset, int length);

  final void split(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + " length " + length + " outside array of " + bytes.length);
    }
    int end = offset + length;
    int i = offset;
    if (skipLeadingLf && i < end) {
      skipLeadingLf = false;
      if (bytes[i] == '\n') {
        i++;
      }
    }
    int lineStart = i;
    while (i < end) {
      byte b = bytes[i];
      if (b != '\n' && b != '\r') {
        i++;
        continue;
      }
      emit(bytes, lineStart, i - lineStart);
      i++;
      if (b == '\r') {
        if (i < end) {
          if (bytes[i] == '\n') {
            i++;
          }
        } else {
          skipLeadingLf = true;
        }
      }
      lineStart = i;
    }
    if (lineStart < end) {
      append(bytes, lineStart, end - lineStart);
    }
  }

  /** Whether bytes of an unterminated line are buffered. */
  final boolean hasPartialLine() {
    return pendingLength > 0;
  }

  /** Hands the unterminated last line (if any) to {@link #onLine}, then forgets it. */
  final void flushPartialLine() {
    if (pendingLength > 0) {
      int length = pendingLength;
      pendingLength = 0;
      onLine(pending, 0, length);
    }
  }

  /** Drops any partial line and the pending {@code \r} state. */
  final void reset() {
    pendingLength = 0;
    skipLeadingLf = false;
  }

  private void emit(byte[] bytes, int start, int length) {
    if (pendingLength == 0) {
      if (length > maxLineBytes) {
        throw tooLong();
      }
      onLine(bytes, start, length);
      return;
    }
    append(bytes, start, length);
    int total = pendingLength;
    pendingLength = 0;
    onLine(pending, 0, total);
  }

  private void append(byte[] bytes, int start, int length) {
    int needed = pendingLength + length;
    if (needed > maxLineBytes) {
      pendingLength = 0;
      throw tooLong();
    }
    if (needed > pending.length) {
      pending = Arrays.copyOf(pending, Math.min(maxLineBytes, Math.max(needed, pending.length * 2)));
    }
    System.arraycopy(bytes, start, pending, pendingLength, length);
    pendingLength = needed;
  }

  private UpstreamException tooLong() {
    return new UpstreamException(
        UpstreamError.of(
            UpstreamError.Kind.MALFORMED, 200, "upstream stream line exceeds " + maxLineBytes + " bytes"));
  }
}

package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.UpstreamException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LFS = ONES * '\n';
  private static final long CRS = ONES * '\r';

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
    while ((i = nextTerminator(bytes, i, end)) < end) {
      byte b = bytes[i];
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

  /**
   * The index of the first {@code \n} or {@code \r} in {@code bytes[from, end)}, or {@code end}. Eight
   * bytes at a time (a stream's bytes are nearly all inside lines): a byte of {@code word ^ pattern} is
   * zero where the word has the pattern's byte, and {@code (v - 0x01…) & ~v & 0x80…} marks the lowest
   * zero byte of {@code v} exactly (a borrow can only mark bytes above it).
   */
  static int nextTerminator(byte[] bytes, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long word = (long) LONGS.get(bytes, i);
      long lf = word ^ LFS;
      long cr = word ^ CRS;
      long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        return i;
      }
    }
    return end;
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

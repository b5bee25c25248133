package dev.switchboard.provider.transport;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.UpstreamException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * An incremental reader for AWS event streams ({@code application/vnd.amazon.eventstream}, the
 * framing of Bedrock's {@code ConverseStream}): feed it the body as it arrives, split anywhere,
 * and it returns one {@link Frame.EventStreamMessage} per complete message.
 *
 * <p>The wire format (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html,
 * "prelude" and "message" sections): a 12-byte prelude (total length, headers length, CRC32 of
 * those 8 bytes), typed headers, the payload, and a CRC32 of everything before it; integers are
 * big-endian. Decoding and both checksum checks are done by AWS's {@code eventstream} library
 * ({@link Message#decode}).
 *
 * <p>Why not the library's own {@code MessageDecoder}: it allocates a 2 MiB buffer per instance
 * (one per stream here, where messages are a few hundred bytes) and cannot say whether bytes of a
 * cut-off message are left at the end. So this class does the buffering, which is only about
 * where one message ends, and checks the prelude's CRC before trusting its length, so a corrupt
 * length fails at once instead of making the reader wait for megabytes that never come.
 *
 * <p>Messages wholly inside one chunk are decoded straight from the caller's array; only a message
 * that straddles chunks is assembled in a buffer. Header values are given as text: strings as they
 * are, other types in their usual rendering (numbers, {@code true}/{@code false}, ISO-8601
 * timestamps, base64 bytes, UUIDs). Payloads are decoded as UTF-8.
 *
 * <p>Not thread-safe: one instance per stream.
 */
public final class AwsEventStreamReader implements FrameReader {
  /** The default cap on one message: 16 MiB, as for an SSE event. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 << 20;

  private static final int PRELUDE_BYTES = 12;
  /** Prelude plus the message CRC: a message with no headers and no payload. */
  private static final int MIN_MESSAGE_BYTES = PRELUDE_BYTES + 4;

  private final int maxMessageBytes;
  private byte[] pending = new byte[0];
  private int pendingLength;

  private AwsEventStreamReader(int maxMessageBytes) {
    if (maxMessageBytes < MIN_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxMessageBytes must be at least " + MIN_MESSAGE_BYTES);
    }
    this.maxMessageBytes = maxMessageBytes;
  }

  /** A reader with the default size cap. */
  public static AwsEventStreamReader create() {
    return new AwsEventStreamReader(DEFAULT_MAX_MESSAGE_BYTES);
  }

  /**
   * A reader that rejects a message longer than {@code maxMessageBytes} with an {@link
   * UpstreamException} of kind {@code MALFORMED}, so a broken upstream cannot exhaust memory.
   */
  public static AwsEventStreamReader create(int maxMessageBytes) {
    return new AwsEventStreamReader(maxMessageBytes);
  }

  @Override
  public List<Frame.EventStreamMessage> feed(byte[] bytes) {
    return feed(bytes, 0, bytes.length);
  }

  /**
   * Feeds the next chunk of the body.
   *
   * @return the messages this chunk completed, in order; empty (and not allocated) when none
   * @throws UpstreamException of kind {@code MALFORMED} when a message fails its checksums, cannot
   *     be decoded or exceeds the cap
   */
  public List<Frame.EventStreamMessage> feed(byte[] bytes, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      throw new IndexOutOfBoundsException(
          "offset " + offset + " length " + length + " outside array of " + bytes.length);
    }
    List<Frame.EventStreamMessage> out = null;
    int position = offset;
    int end = offset + length;
    if (pendingLength > 0) {
      // Complete the straddling message first, taking no more of this chunk than it needs (the
      // prelude first, then the rest once the prelude says how long the message is).
      int needed = neededFor(pending, 0, pendingLength);
      while (pendingLength < needed) {
        if (position == end) {
          return List.of();
        }
        int take = Math.min(needed - pendingLength, end - position);
        append(bytes, position, take);
        position += take;
        needed = neededFor(pending, 0, pendingLength);
      }
      pendingLength = 0;
      out = add(out, decode(pending, 0, needed));
      if (pending.length > 64 * 1024) {
        pending = new byte[0]; // do not keep a rare large message's buffer for the whole stream
      }
    }
    while (position < end) {
      int needed = neededFor(bytes, position, end - position);
      if (needed > end - position) {
        append(bytes, position, end - position);
        break;
      }
      out = add(out, decode(bytes, position, needed));
      position += needed;
    }
    return out == null ? List.of() : out;
  }

  /**
   * The body ended. A message cut off part-way is dropped, like an SSE event without its closing
   * blank line: its content cannot be trusted. The stream decoder then sees a stream that never
   * said it was done, and reports it.
   *
   * @return always empty: a binary message has no unterminated form worth returning
   */
  @Override
  public List<Frame.EventStreamMessage> finish() {
    pendingLength = 0;
    return List.of();
  }

  /**
   * How many bytes the message starting at {@code offset} has in total, once its 12-byte prelude
   * is there and its checksum holds; until then, 12.
   */
  private int neededFor(byte[] bytes, int offset, int available) {
    if (available < PRELUDE_BYTES) {
      return PRELUDE_BYTES;
    }
    long total = Integer.toUnsignedLong(readInt(bytes, offset));
    // The library checks this too, but only once the whole message is here; checking the prelude
    // now means a corrupt length fails at once rather than after megabytes of waiting.
    var crc = new CRC32();
    crc.update(bytes, offset, 8);
    if (crc.getValue() != Integer.toUnsignedLong(readInt(bytes, offset + 8))) {
      throw malformed("an event-stream message has a corrupt prelude (checksum mismatch)");
    }
    if (total < MIN_MESSAGE_BYTES || total > maxMessageBytes) {
      throw malformed("an event-stream message claims " + total + " bytes (allowed "
          + MIN_MESSAGE_BYTES + " to " + maxMessageBytes + ")");
    }
    return (int) total;
  }

  private static Frame.EventStreamMessage decode(byte[] bytes, int offset, int length) {
    Message message;
    try {
      message = Message.decode(ByteBuffer.wrap(bytes, offset, length));
    } catch (RuntimeException e) {
      // IllegalArgumentException for checksum failures, BufferUnderflowException and friends for
      // header lengths that point outside the message.
      throw malformed("an event-stream message could not be decoded: " + e.getMessage());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, HeaderValue> header : message.getHeaders().entrySet()) {
      headers.put(header.getKey(), text(header.getValue()));
    }
    return new Frame.EventStreamMessage(headers, new String(message.getPayload(), StandardCharsets.UTF_8));
  }

  private static String text(HeaderValue value) {
    try {
      return value.getString();
    } catch (IllegalStateException notAString) {
      // The library's header types are package-private, so only getString() tells a string apart;
      // every other type's toString() is its plain rendering (a string's adds quotes).
      return value.toString();
    }
  }

  private void append(byte[] bytes, int offset, int length) {
    int needed = pendingLength + length;
    if (needed > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(needed, Math.max(256, pending.length * 2)));
    }
    System.arraycopy(bytes, offset, pending, pendingLength, length);
    pendingLength = needed;
  }

  private static int readInt(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff) << 24
        | (bytes[offset + 1] & 0xff) << 16
        | (bytes[offset + 2] & 0xff) << 8
        | (bytes[offset + 3] & 0xff);
  }

  private static List<Frame.EventStreamMessage> add(
      @Nullable List<Frame.EventStreamMessage> out, Frame.EventStreamMessage frame) {
    List<Frame.EventStreamMessage> list = out == null ? new ArrayList<>(2) : out;
    list.add(frame);
    return list;
  }

  private static UpstreamException malformed(String message) {
    return new UpstreamException(UpstreamError.of(UpstreamError.Kind.MALFORMED, 200, message));
  }
}

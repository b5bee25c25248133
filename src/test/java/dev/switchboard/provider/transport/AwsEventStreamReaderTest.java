package dev.switchboard.provider.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.UpstreamError;
import dev.switchboard.provider.Frame;
import dev.switchboard.provider.Framing;
import dev.switchboard.provider.UpstreamException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

class AwsEventStreamReaderTest {

  /**
   * One message written byte by byte from the format description, with the JDK's CRC32: proves
   * the reader reads the wire format itself, not merely whatever the library's encoder writes.
   */
  static byte[] handBuilt(String eventType, String payload) {
    var headers = new ByteArrayOutputStream();
    header(headers, ":event-type", eventType);
    header(headers, ":content-type", "application/json");
    header(headers, ":message-type", "event");
    byte[] headerBytes = headers.toByteArray();
    byte[] payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
    int total = 12 + headerBytes.length + payloadBytes.length + 4;
    ByteBuffer message = ByteBuffer.allocate(total); // big-endian, as the format is
    message.putInt(total).putInt(headerBytes.length);
    message.putInt((int) crc(message.array(), 0, 8));
    message.put(headerBytes).put(payloadBytes);
    message.putInt((int) crc(message.array(), 0, total - 4));
    return message.array();
  }

  private static void header(ByteArrayOutputStream out, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    out.write(n.length);
    out.writeBytes(n);
    out.write(7); // value type 7: string, with a 2-byte length
    out.write(v.length >> 8);
    out.write(v.length & 0xff);
    out.writeBytes(v);
  }

  private static long crc(byte[] bytes, int offset, int length) {
    var crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  static byte[] encoded(Map<String, HeaderValue> headers, String payload) {
    ByteBuffer buffer = new Message(headers, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  static byte[] event(String type, String payload) {
    var headers = new LinkedHashMap<String, HeaderValue>();
    headers.put(":event-type", HeaderValue.fromString(type));
    headers.put(":content-type", HeaderValue.fromString("application/json"));
    headers.put(":message-type", HeaderValue.fromString("event"));
    return encoded(headers, payload);
  }

  static byte[] concat(byte[]... parts) {
    var out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  @Test
  void readsAMessageBuiltByHandFromTheFormatDescription() {
    byte[] bytes = handBuilt("messageStart", "{\"role\":\"assistant\"}");

    List<Frame.EventStreamMessage> frames = AwsEventStreamReader.create().feed(bytes);

    assertThat(frames).containsExactly(new Frame.EventStreamMessage(
        Map.of(":event-type", "messageStart", ":content-type", "application/json", ":message-type", "event"),
        "{\"role\":\"assistant\"}"));
    // The fixtures' generator (the library's encoder) writes exactly these bytes.
    assertThat(event("messageStart", "{\"role\":\"assistant\"}")).isEqualTo(bytes);
  }

  @Test
  void returnsEveryMessageOfOneReadInOrder() {
    byte[] body = concat(event("a", "{\"n\":1}"), event("b", "{\"n\":2}"), event("c", "{\"n\":3}"));

    List<Frame.EventStreamMessage> frames = AwsEventStreamReader.create().feed(body);

    assertThat(frames).extracting(f -> f.headers().get(":event-type")).containsExactly("a", "b", "c");
    assertThat(frames).extracting(Frame.EventStreamMessage::payload)
        .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
  }

  @Test
  void assemblesAMessageDeliveredOneByteAtATime() {
    byte[] body = concat(event("contentBlockDelta", "{\"delta\":{\"text\":\"é😊中\"}}"), event("messageStop", "{}"));
    AwsEventStreamReader reader = AwsEventStreamReader.create();
    var frames = new ArrayList<Frame.EventStreamMessage>();
    var completedAt = new ArrayList<Integer>();
    for (int i = 0; i < body.length; i++) {
      List<Frame.EventStreamMessage> got = reader.feed(body, i, 1);
      if (!got.isEmpty()) {
        completedAt.add(i + 1);
      }
      frames.addAll(got);
    }

    assertThat(frames).extracting(Frame.EventStreamMessage::payload)
        .containsExactly("{\"delta\":{\"text\":\"é😊中\"}}", "{}");
    int first = event("contentBlockDelta", "{\"delta\":{\"text\":\"é😊中\"}}").length;
    assertThat(completedAt).as("each message completes on its last byte").containsExactly(first, body.length);
    assertThat(reader.finish()).isEmpty();
  }

  @Test
  void aMessageStraddlingReadsIsCompletedWithoutSwallowingTheNext() {
    byte[] first = event("a", "{\"x\":\"" + "y".repeat(300) + "\"}");
    byte[] body = concat(first, event("b", "{}"), event("c", "{}"));
    AwsEventStreamReader reader = AwsEventStreamReader.create();

    List<Frame.EventStreamMessage> one = reader.feed(body, 0, 5); // not even a whole prelude
    List<Frame.EventStreamMessage> two = reader.feed(body, 5, first.length + 3);
    List<Frame.EventStreamMessage> three = reader.feed(body, first.length + 8, body.length - first.length - 8);

    assertThat(one).isEmpty();
    assertThat(two).extracting(f -> f.headers().get(":event-type")).containsExactly("a");
    assertThat(three).extracting(f -> f.headers().get(":event-type")).containsExactly("b", "c");
  }

  @Test
  void rendersHeadersOfEveryTypeAsText() {
    var headers = new LinkedHashMap<String, HeaderValue>();
    headers.put("s", HeaderValue.fromString("text"));
    headers.put("i", HeaderValue.fromInteger(42));
    headers.put("l", HeaderValue.fromLong(-7L));
    headers.put("t", HeaderValue.fromBoolean(true));
    headers.put("f", HeaderValue.fromBoolean(false));
    headers.put("b", HeaderValue.fromByteArray(new byte[] {1, 2, 3}));
    headers.put("ts", HeaderValue.fromTimestamp(Instant.parse("2025-01-02T03:04:05Z")));
    headers.put("u", HeaderValue.fromUuid(UUID.fromString("00000000-0000-0000-0000-000000000001")));

    Frame.EventStreamMessage frame = AwsEventStreamReader.create().feed(encoded(headers, "")).getFirst();

    assertThat(frame.headers()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "s", "text", "i", "42", "l", "-7", "t", "true", "f", "false", "b", "AQID",
        "ts", "2025-01-02T03:04:05Z", "u", "00000000-0000-0000-0000-000000000001"));
    assertThat(frame.payload()).isEmpty();
  }

  @Test
  void aCorruptMessageChecksumIsMalformed() {
    byte[] bytes = event("a", "{\"text\":\"hello\"}");
    bytes[bytes.length - 8] ^= 0x20; // a payload byte: only the message CRC can notice

    assertThatThrownBy(() -> AwsEventStreamReader.create().feed(bytes))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
          assertThat(e.error().message()).contains("could not be decoded").contains("checksum");
        });
  }

  @Test
  void aCorruptPreludeFailsAsSoonAsThePreludeIsIn() {
    byte[] bytes = event("a", "{}");
    bytes[2] ^= 0x01; // the total length: the reader must not wait for the bytes it now claims
    AwsEventStreamReader reader = AwsEventStreamReader.create();

    assertThat(reader.feed(bytes, 0, 11)).isEmpty();
    assertThatThrownBy(() -> reader.feed(bytes, 11, 1))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
          assertThat(e.error().message()).contains("prelude");
        });
  }

  @Test
  void aMessageOverTheCapIsRejectedFromItsPrelude() {
    byte[] bytes = event("a", "{\"x\":\"" + "y".repeat(2000) + "\"}");
    AwsEventStreamReader reader = AwsEventStreamReader.create(1024);

    assertThatThrownBy(() -> reader.feed(bytes, 0, 12))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.error().kind()).isEqualTo(UpstreamError.Kind.MALFORMED);
          assertThat(e.error().message()).contains("claims " + bytes.length + " bytes");
        });
  }

  @Test
  void aMessageCutOffAtTheEndIsDropped() {
    byte[] whole = event("a", "{}");
    byte[] body = concat(whole, Arrays.copyOf(event("b", "{}"), 20));
    AwsEventStreamReader reader = AwsEventStreamReader.create();

    assertThat(reader.feed(body)).hasSize(1);
    assertThat(reader.finish()).isEmpty();
    // Nothing of the cut message lingers: a fresh message after finish() reads cleanly.
    assertThat(reader.feed(whole)).hasSize(1);
  }

  @Test
  void isTheReaderForAwsEventStreamFraming() {
    assertThat(FrameReaders.forFraming(Framing.AWS_EVENT_STREAM).get()).isInstanceOf(AwsEventStreamReader.class);
    assertThatThrownBy(() -> AwsEventStreamReader.create(8)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AwsEventStreamReader.create().feed(new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}

package dev.switchboard.mock;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * One AWS event-stream message of a ConverseStream answer
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html describes the
 * framing: prelude with lengths and CRC, string headers, payload, message CRC), encoded by AWS's
 * own {@code eventstream} library. A class, not a record, because it holds an array.
 */
final class BedrockMockMessage implements MockFrame {
  private final Map<String, String> headers;
  private final byte[] payload;

  private BedrockMockMessage(Map<String, String> headers, byte[] payload) {
    this.headers = headers;
    this.payload = payload;
  }

  /**
   * An event as Bedrock sends it: {@code :event-type}, {@code :content-type: application/json},
   * {@code :message-type: event}.
   */
  static BedrockMockMessage event(String type, byte[] payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", type);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return new BedrockMockMessage(headers, payload);
  }

  /**
   * An exception that ends a stream ({@code throttlingException}, {@code
   * modelStreamErrorException}, ...): {@code :exception-type}, {@code :content-type}, {@code
   * :message-type: exception}, and a JSON payload with its {@code message}.
   */
  static BedrockMockMessage exception(String type, byte[] payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", type);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return new BedrockMockMessage(headers, payload);
  }

  /** The value of a header, or null. */
  @Nullable String header(String name) {
    return headers.get(name);
  }

  /** The payload; shared, so treat it as read-only. */
  byte[] payload() {
    return payload;
  }

  @Override
  public Buffer frame() {
    Map<String, HeaderValue> typed = new LinkedHashMap<>();
    headers.forEach((name, value) -> typed.put(name, HeaderValue.fromString(value)));
    ByteBuffer bytes = new Message(typed, payload).toByteBuffer();
    byte[] frame = new byte[bytes.remaining()];
    bytes.get(frame);
    return Buffer.buffer(frame);
  }

  @Override
  public BedrockMockMessage cut() {
    return new BedrockMockMessage(headers, Arrays.copyOf(payload, payload.length / 2));
  }
}

package dev.switchboard.provider.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.provider.CanonicalJson;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.eventstream.HeaderValue;
import software.amazon.eventstream.Message;

/**
 * Builds a ConverseStream body, binary AWS event-stream messages, from the readable event list
 * the fixtures keep ({@code upstream-events.json}), with AWS's own {@code eventstream} encoder.
 * That the encoder writes the real wire format is checked independently, against a message built
 * byte by byte, in {@code AwsEventStreamReaderTest}.
 *
 * <p>Each entry is one message:
 *
 * <ul>
 *   <li>{@code {"event": "<type>", "payload": {...}}}: an event, with the headers Bedrock sends
 *       ({@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event});
 *   <li>{@code {"exception": "<type>", "payload": {...}}}: an exception ({@code :exception-type},
 *       {@code :message-type: exception});
 *   <li>{@code {"headers": {...}, "payload": ...}}: exactly these string headers;
 * </ul>
 *
 * A {@code payload} that is a JSON string is sent as that text (for payloads that are not JSON);
 * anything else is sent as compact JSON. {@code "cutAfterBytes": n} on an entry keeps only its
 * first {@code n} bytes and ends the body there, as a dropped connection would.
 */
final class BedrockEventStreams {
  private BedrockEventStreams() {}

  static byte[] encode(String eventsJson) {
    var out = new ByteArrayOutputStream();
    for (JsonNode entry : CanonicalJson.parse(eventsJson)) {
      Map<String, String> headers = new LinkedHashMap<>();
      if (entry.has("event")) {
        headers.put(":event-type", entry.get("event").asText());
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
      } else if (entry.has("exception")) {
        headers.put(":exception-type", entry.get("exception").asText());
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
      } else {
        headers.putAll(CanonicalJson.stringMap(entry.get("headers")));
      }
      JsonNode payload = entry.path("payload");
      byte[] bytes = message(headers, payload.isTextual() ? payload.asText() : compact(payload));
      if (entry.has("cutAfterBytes")) {
        out.writeBytes(Arrays.copyOf(bytes, entry.get("cutAfterBytes").asInt()));
        break;
      }
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  /** One event message with Bedrock's headers. */
  static byte[] event(String type, String payload) {
    var headers = new LinkedHashMap<String, String>();
    headers.put(":event-type", type);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return message(headers, payload);
  }

  static byte[] message(Map<String, String> headers, String payload) {
    var typed = new LinkedHashMap<String, HeaderValue>();
    headers.forEach((name, value) -> typed.put(name, HeaderValue.fromString(value)));
    ByteBuffer buffer = new Message(typed, payload.getBytes(StandardCharsets.UTF_8)).toByteBuffer();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  private static String compact(JsonNode node) {
    try {
      return CanonicalJson.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.switchboard.provider;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** One frame of a streamed upstream body, already split out by the transport. */
public sealed interface Frame {

  /**
   * A Server-Sent Event: {@code event} is null when the event had no {@code event:} field.
   *
   * <p>The transport keeps the data as the UTF-8 bytes it arrived in ({@link #utf8}), so a decoder can
   * parse them without decoding them to a string first; {@link #data} decodes them on first use.
   */
  final class Sse implements Frame {
    private final @Nullable String event;
    private byte @Nullable [] utf8;
    private @Nullable String data;

    public Sse(@Nullable String event, String data) {
      this.event = event;
      this.data = requireNonNull(data, "data");
    }

    private Sse(@Nullable String event, byte[] utf8) {
      this.event = event;
      this.utf8 = utf8;
    }

    /** An event whose data is {@code utf8}, taken over (not copied): the caller must not change it. */
    public static Sse ofUtf8(@Nullable String event, byte[] utf8) {
      return new Sse(event, requireNonNull(utf8, "utf8"));
    }

    public @Nullable String event() {
      return event;
    }

    /** The data as text; malformed UTF-8 decodes to replacement characters. */
    public String data() {
      String text = data;
      if (text == null) {
        text = new String(requireNonNull(utf8), StandardCharsets.UTF_8);
        data = text;
      }
      return text;
    }

    /** The data as UTF-8 bytes; not to be changed. */
    public byte[] utf8() {
      byte[] bytes = utf8;
      if (bytes == null) {
        bytes = requireNonNull(data).getBytes(StandardCharsets.UTF_8);
        utf8 = bytes;
      }
      return bytes;
    }

    /**
     * Whether the data's first byte that is not ASCII white space opens a JSON object: what a decoder
     * checks before parsing the bytes as they are.
     */
    public boolean opensJsonObject() {
      for (byte b : utf8()) {
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
          return b == '{';
        }
      }
      return false;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Sse sse && Objects.equals(event, sse.event) && data().equals(sse.data());
    }

    @Override
    public int hashCode() {
      return Objects.hash(event, data());
    }

    @Override
    public String toString() {
      return "Sse[event=" + event + ", data=" + data() + "]";
    }
  }

  /** One line of an NDJSON body. */
  record JsonLine(String json) implements Frame {
    public JsonLine {
      requireNonNull(json, "json");
    }
  }

  /** One AWS event-stream message: its string headers and its payload as UTF-8 text. */
  record EventStreamMessage(Map<String, String> headers, String payload) implements Frame {
    public EventStreamMessage {
      headers = Map.copyOf(headers);
      requireNonNull(payload, "payload");
    }
  }
}

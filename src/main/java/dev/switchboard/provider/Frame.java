package dev.switchboard.provider;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One frame of a streamed upstream body, already split out by the transport. */
public sealed interface Frame {

  /** A Server-Sent Event: {@code event} is null when the event had no {@code event:} field. */
  record Sse(@Nullable String event, String data) implements Frame {
    public Sse {
      requireNonNull(data, "data");
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

package dev.switchboard.provider;

/** How a streamed response body is split into frames before its adapter sees it. */
public enum Framing {
  /** {@code text/event-stream}: Server-Sent Events. */
  SSE,
  /** {@code application/vnd.amazon.eventstream}: AWS binary event-stream messages. */
  AWS_EVENT_STREAM,
  /** One JSON object per line. */
  NDJSON
}

package dev.switchboard.http;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.StreamEvent;
import dev.switchboard.core.Usage;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;

/**
 * Writes one streamed answer in a dialect's SSE format. One instance per stream, not thread-safe.
 * Frames go into a caller-owned buffer so one upstream read becomes one write to the client.
 *
 * <p>The gateway calls, in order: {@link #appendStart} once, {@link #append} for each event, then
 * either {@link #appendEnd} (with the settled usage and cost) or {@link #appendError}.
 * {@link #keepAlive} may come at any time before the first event.
 */
public interface StreamWriter {

  /** Whatever the dialect sends before the first event (Anthropic's {@code message_start}). */
  default void appendStart(ByteArrayOutputStream out) {}

  /** The frames for one canonical event; usage and failures are written by the gateway itself. */
  void append(ByteArrayOutputStream out, StreamEvent event);

  /** The closing frames once the answer is settled: usage with its cost, then the end marker. */
  void appendEnd(ByteArrayOutputStream out, Usage usage, BigDecimal cost);

  /** A failure after the stream started, in the dialect's in-stream error shape; the stream ends. */
  void appendError(ByteArrayOutputStream out, GatewayException error);

  /** A frame that keeps the connection alive while the upstream has not answered. */
  byte[] keepAlive();
}

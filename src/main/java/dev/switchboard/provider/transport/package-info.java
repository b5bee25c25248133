/**
 * Byte-level plumbing shared by every adapter: framing readers that split a streamed upstream
 * body into {@link dev.switchboard.provider.Frame}s ({@link
 * dev.switchboard.provider.transport.SseReader}, {@link
 * dev.switchboard.provider.transport.NdjsonReader}), and later the HTTP client and auth
 * strategies.
 *
 * <p>Adapters never see bytes: they declare a {@link dev.switchboard.provider.Framing} and
 * receive parsed frames, so no provider re-implements SSE parsing.
 */
@NullMarked
package dev.switchboard.provider.transport;

import org.jspecify.annotations.NullMarked;

/**
 * Choosing where a request goes and getting it there: the route plan (which endpoints, in which
 * order) and the attempt loop (encode, send, fall back on retryable failures before the first
 * byte reaches the client, hedged when asked: {@link dev.switchboard.routing.AttemptRace}), the
 * continuation of a stream that broke after it started ({@link
 * dev.switchboard.routing.Continuation}, {@link dev.switchboard.routing.ChatExecutor#resume}), and
 * presets. Failures are values ({@link dev.switchboard.core.UpstreamError}) inside this package.
 */
@NullMarked
package dev.switchboard.routing;

import org.jspecify.annotations.NullMarked;
